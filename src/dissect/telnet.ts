// Telnet (RFC 854, TCP port 23), as tshark 4.0 shows it: Info is always "Telnet Data ..."; the
// tree has the data a line at a time (what a user typed — passwords included, which is the
// lesson most captures of Telnet are made for) and each command (RFC 854 §5: IAC, then Will,
// Won't, Do, Don't with an option of RFC 855's registry, or a suboption negotiation).

import type { Packet } from './packet.ts';
import { defineProtocol } from './registry.ts';
import { tcpPortTable } from './tables.ts';
import { formatText } from './text.ts';
import type { TreeSink } from './tree.ts';
import type { Tvb } from './tvb.ts';

const IAC = 0xff;
const SB = 0xfa;

const COMMANDS: Record<number, string> = {
  236: 'End of File', 237: 'Suspend Current Process', 238: 'Abort Process', 239: 'End of Record', 240: 'Suboption End',
  241: 'No Operation', 242: 'Data Mark', 243: 'Break', 244: 'Interrupt Process', 245: 'Abort Output', 246: 'Are You There?',
  247: 'Escape Character', 248: 'Erase Line', 249: 'Go Ahead', 250: 'Suboption', 251: 'Will', 252: "Won't", 253: 'Do', 254: "Don't",
};

const OPTIONS = [
  'Binary Transmission', 'Echo', 'Reconnection', 'Suppress Go Ahead', 'Approx Message Size Negotiation', 'Status',
  'Timing Mark', 'Remote Controlled Trans and Echo', 'Output Line Width', 'Output Page Size',
  'Output Carriage-Return Disposition', 'Output Horizontal Tab Stops', 'Output Horizontal Tab Disposition',
  'Output Formfeed Disposition', 'Output Vertical Tabstops', 'Output Vertical Tab Disposition',
  'Output Linefeed Disposition', 'Extended ASCII', 'Logout', 'Byte Macro', 'Data Entry Terminal', 'SUPDUP',
  'SUPDUP Output', 'Send Location', 'Terminal Type', 'End of Record', 'TACACS User Identification', 'Output Marking',
  'Terminal Location Number', 'Telnet 3270 Regime', 'X.3 PAD', 'Negotiate About Window Size', 'Terminal Speed',
  'Remote Flow Control', 'Linemode', 'X Display Location', 'Environment Option', 'Authentication Option',
  'Encryption Option', 'New Environment Option', 'TN3270E', 'XAUTH', 'CHARSET', 'Remote Serial Port',
  'COM Port Control', 'Suppress Local Echo', 'Start TLS', 'KERMIT', 'SEND-URL', 'FORWARD_X',
];
const TERMINAL_TYPE = 24;
const NAWS = 31;
const TERMINAL_SPEED = 32;
const X_DISPLAY = 35;

const F = defineProtocol('telnet', 'Telnet', {
  'telnet.data': { name: 'Data', type: 'string' },
  'telnet.cmd': { name: 'Command', type: 'uint', vals: COMMANDS },
  'telnet.subcmd': { name: 'Subcommand', type: 'uint' },
  'telnet.option_data': { name: 'Option data', type: 'bytes' },
  'telnet.string_subopt.value': { name: 'Value', type: 'string' },
  'telnet.naws_subopt.width': { name: 'Width', type: 'uint' },
  'telnet.naws_subopt.height': { name: 'Height', type: 'uint' },
});

const optionName = (o: number) => OPTIONS[o] ?? '<unknown option>';

function dissectTelnet(tvb: Tvb, p: Packet): boolean {
  p.layers.push('telnet');
  p.cols.protocol = 'TELNET';
  p.cols.setInfo('Telnet Data ...');
  const t = p.tree;
  if (!t) return true;
  t.open(F.proto, tvb, 0, tvb.reportedLength, null);
  try {
    for (let o = 0; o < tvb.reportedLength; ) {
      const iac = unescapedIac(tvb, o);
      if (iac < 0) {
        textLines(tvb, o, tvb.reportedLength - o, t);
        break;
      }
      if (iac > o) textLines(tvb, o, iac - o, t);
      o = command(tvb, iac, t);
    }
  } finally {
    t.close();
  }
  return true;
}

/** The next IAC that is not an escaped 0xff data byte (IAC IAC), or -1. */
function unescapedIac(tvb: Tvb, from: number): number {
  for (let o = from; ; o += 2) {
    o = tvb.indexOf(IAC, o);
    if (o < 0 || !tvb.has(o + 1, 1) || tvb.u8(o + 1) !== IAC) return o;
  }
}

/** Data a line at a time; CR NUL, CR LF and LF end a line, and CRs after a CR belong to it. */
function textLines(tvb: Tvb, off: number, len: number, t: TreeSink): void {
  const end = Math.min(off + len, tvb.length);
  while (off < end) {
    let e = off;
    while (e < end && tvb.u8(e) !== 0x0a && tvb.u8(e) !== 0x0d) e++;
    if (e < end) {
      if (tvb.u8(e) === 0x0d) {
        e++;
        let lastCr = true;
        while (e < end) {
          const c = tvb.u8(e++);
          if (c === 0x0a || (c === 0 && lastCr)) break;
          lastCr = c === 0x0d;
        }
      } else e++;
    }
    const line = tvb.latin1(off, e - off);
    t.add(F['telnet.data'], tvb, off, e - off, line, `Data: ${formatText(line)}`);
    off = e;
  }
}

/** One command at `start` (an IAC); returns where the data after it starts. */
function command(tvb: Tvb, start: number, t: TreeSink): number {
  const code = tvb.u8(start + 1);
  let off = start + 2;
  const verb = code === 251 ? 'Will' : code === 252 ? "Won't" : code === 253 ? 'Do' : code === 254 ? "Don't" : code === SB ? 'Suboption' : null;
  const ops: ((t: TreeSink) => void)[] = [];
  let label = COMMANDS[code] ?? '<unknown option>';
  ops.push((tt) => tt.add(F['telnet.cmd'], tvb, start + 1, 1, code));
  if (verb) {
    const opt = tvb.u8(off);
    label = `${verb} ${optionName(opt)}`;
    const optAt = off;
    off++;
    if (code === SB) {
      // The negotiation runs to the next unescaped IAC (RFC 855: IAC SE ends it).
      const stop = unescapedIac(tvb, off);
      const dataEnd = stop < 0 ? tvb.reportedLength : stop;
      const d = off;
      const n = dataEnd - d;
      ops.push((tt) => {
        tt.open(F['telnet.subcmd'], tvb, optAt, 1, opt, `Subcommand: ${optionName(opt)}`);
        if (n > 0) suboption(tvb, d, n, opt, tt);
        tt.close();
      });
      off = dataEnd;
    } else {
      ops.push((tt) => tt.add(F['telnet.subcmd'], tvb, optAt, 1, opt, `Subcommand: ${optionName(opt)}`));
    }
  }
  t.text(tvb, start, off - start, label, true);
  for (const op of ops) op(t);
  t.close();
  return off;
}

/** A suboption's parameters: the string options (RFC 1091 terminal type …) and NAWS (RFC 1073). */
function suboption(tvb: Tvb, d: number, n: number, opt: number, t: TreeSink): void {
  if (opt === NAWS && n === 4) {
    t.add(F['telnet.naws_subopt.width'], tvb, d, 2, tvb.u16(d));
    t.add(F['telnet.naws_subopt.height'], tvb, d + 2, 2, tvb.u16(d + 2));
    return;
  }
  if ((opt === TERMINAL_TYPE || opt === TERMINAL_SPEED || opt === X_DISPLAY) && n >= 1) {
    const cmd = tvb.u8(d);
    const name = optionName(opt);
    if (cmd === 0) {
      t.add(F['telnet.subcmd'], tvb, d, 1, cmd, `Here's my ${name}`);
      if (n > 1) {
        const value = tvb.latin1(d + 1, n - 1);
        t.add(F['telnet.string_subopt.value'], tvb, d + 1, n - 1, value, `Value: ${formatText(value)}`);
      }
    } else if (cmd === 1) {
      t.add(F['telnet.subcmd'], tvb, d, 1, cmd, `Send your ${name}`);
      if (n > 1) t.add(F['telnet.option_data'], tvb, d + 1, n - 1, tvb.bytes(d + 1, n - 1), 'Extra data');
    }
    return;
  }
  t.add(F['telnet.option_data'], tvb, d, n, tvb.bytes(d, Math.min(n, tvb.remaining(d))));
}

tcpPortTable.add(23, dissectTelnet);
