// FTP's control connection (RFC 959 §4, §5.4), TCP port 21: one command or reply per line.
// Info is the segment's first line, "Request: USER anonymous" or "Response: 230 Login
// successful.", as tshark writes it; the tree lists the lines and splits the first into command
// and argument or reply code and argument. (Data connections, which a PASV or PORT announces, are left as TCP.)

import { formatText } from './text.ts';
import type { Packet } from './packet.ts';
import { defineProtocol } from './registry.ts';
import { tcpPortTable } from './tables.ts';
import type { TreeSink } from './tree.ts';
import type { Tvb } from './tvb.ts';

export const FTP_PORT = 21;

// RFC 959 §4.2 reply codes and later RFCs' (2228, 2428), as Wireshark words them.
const REPLY_CODES: Record<number, string> = {
  110: 'Restart marker reply', 120: 'Service ready in nnn minutes', 125: 'Data connection already open; transfer starting',
  150: 'File status okay; about to open data connection', 200: 'Command okay', 202: 'Command not implemented, superfluous at this site',
  211: 'System status, or system help reply', 212: 'Directory status', 213: 'File status', 214: 'Help message',
  215: 'NAME system type', 220: 'Service ready for new user', 221: 'Service closing control connection',
  225: 'Data connection open; no transfer in progress', 226: 'Closing data connection', 227: 'Entering Passive Mode',
  229: 'Entering Extended Passive Mode', 230: 'User logged in, proceed', 232: 'User logged in, authorized by security data exchange',
  234: 'Security data exchange complete', 235: 'Security data exchange completed successfully',
  250: 'Requested file action okay, completed', 257: 'PATHNAME created', 331: 'User name okay, need password',
  332: 'Need account for login', 334: 'Requested security mechanism is ok', 335: 'Security data is acceptable, more is required',
  336: 'Username okay, need password. Challenge is ...', 350: 'Requested file action pending further information',
  421: 'Service not available, closing control connection', 425: "Can't open data connection",
  426: 'Connection closed; transfer aborted', 431: 'Need some unavailable resource to process security',
  450: 'Requested file action not taken', 451: 'Requested action aborted: local error in processing',
  452: 'Requested action not taken. Insufficient storage space in system', 500: 'Syntax error, command unrecognized',
  501: 'Syntax error in parameters or arguments', 502: 'Command not implemented', 503: 'Bad sequence of commands',
  504: 'Command not implemented for that parameter', 522: 'Network protocol not supported', 530: 'Not logged in',
  532: 'Need account for storing files', 533: 'Command protection level denied for policy reasons',
  534: 'Request denied for policy reasons', 535: 'Failed security check (hash, sequence, etc)',
  536: 'Requested PROT level not supported by mechanism', 537: 'Command protection level not supported by security mechanism',
  550: 'Requested action not taken: File unavailable', 551: 'Requested action aborted: page type unknown',
  552: 'Requested file action aborted: Exceeded storage allocation', 553: 'Requested action not taken: File name not allowed',
  631: 'Integrity protected reply', 632: 'Confidentiality and integrity protected reply', 633: 'Confidentiality protected reply',
};

export const F = defineProtocol('ftp', 'File Transfer Protocol (FTP)', {
  'ftp.request': { name: 'Request', type: 'bool' },
  'ftp.response': { name: 'Response', type: 'bool' },
  'ftp.request.command': { name: 'Request command', type: 'string' },
  'ftp.request.arg': { name: 'Request arg', type: 'string' },
  'ftp.response.code': { name: 'Response code', type: 'uint', vals: REPLY_CODES },
  'ftp.response.arg': { name: 'Response arg', type: 'string' },
});

/** The bytes of `tvb` from `off` as one character each (what formatText expects). */
const rawText = (tvb: Tvb, off: number, len: number) => tvb.latin1(off, len);

/** The line at `off`: its length without terminator, and where the next begins (CR, LF or CRLF end a line). */
function lineAt(tvb: Tvb, off: number): { len: number; next: number } {
  const end = tvb.length;
  for (let i = off; i < end; i++) {
    const c = tvb.u8(i);
    if (c === 0x0a) return { len: i - off, next: i + 1 };
    if (c === 0x0d) return { len: i - off, next: i + 1 < end && tvb.u8(i + 1) === 0x0a ? i + 2 : i + 1 };
  }
  return { len: end - off, next: end };
}

/** RFC 959 §5.3, §4.2: a command, a space, its argument; or a reply code, a space or '-', text. */
function splitFirstLine(tvb: Tvb, text: string, isRequest: boolean, t: TreeSink): void {
  if (isRequest) {
    const sp = text.indexOf(' ');
    const command = sp < 0 ? text : text.slice(0, sp);
    if (command) t.add(F['ftp.request.command'], tvb, 0, command.length, formatText(command));
    if (sp >= 0) t.add(F['ftp.request.arg'], tvb, sp + 1, text.length - sp - 1, formatText(text.slice(sp + 1)));
  } else if (/^\d{3}/.test(text)) {
    t.add(F['ftp.response.code'], tvb, 0, 3, Number(text.slice(0, 3)));
    if (text.length > 4) t.add(F['ftp.response.arg'], tvb, 4, text.length - 4, formatText(text.slice(4)));
  }
}

export function dissectFtp(tvb: Tvb, p: Packet): boolean {
  p.layers.push('ftp');
  p.cols.protocol = 'FTP';
  const isRequest = p.dstPort === FTP_PORT;
  const first = lineAt(tvb, 0);
  p.cols.setInfo(`${isRequest ? 'Request' : 'Response'}: ${formatText(rawText(tvb, 0, first.len))}`);
  const t = p.tree;
  if (!t) return true;
  t.open(F.proto, tvb, 0, tvb.length, null);
  t.add(isRequest ? F['ftp.request'] : F['ftp.response'], tvb, 0, 0, true);
  for (let off = 0; off < tvb.length;) {
    const line = off === 0 ? first : lineAt(tvb, off);
    const text = rawText(tvb, off, line.len);
    t.text(tvb, off, line.next - off, `${formatText(text)}\\r\\n`, true);
    // Only the first line is split, as tshark splits it (a multi-line reply repeats its code).
    if (off === 0) splitFirstLine(tvb, text, isRequest, t);
    t.close();
    off = line.next;
  }
  t.close();
  return true;
}

tcpPortTable.add(FTP_PORT, dissectFtp);
