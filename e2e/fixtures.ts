// Captures the e2e tests build themselves (no binary fixtures, nothing from outside the repo),
// tshark's view of them, and page helpers.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, type Locator, type Page } from '@playwright/test';
import { writePcap, type TestPacket } from '../src/capture/testing/writer.ts';
import { ACK, bytes, eth, FIN, ipv4, mac, mss, PSH, SYN, tcp, u16, udp } from '../src/dissect/testing/packets.ts';

const dir = mkdtempSync(join(tmpdir(), 'pcap-ladder-e2e-'));

export function tempFile(name: string, data: Uint8Array | string): string {
  const p = join(dir, name);
  writeFileSync(p, data);
  return p;
}

const T0 = 1_700_000_000;
const CLIENT = { mac: '02:00:00:00:00:01', ip: '192.0.2.10' };
const SERVER = { mac: '02:00:00:00:00:02', ip: '198.51.100.80' };
const RESOLVER = { ip: '192.0.2.53' };

function dnsName(name: string): number[] {
  return [...name.split('.').flatMap((l) => [l.length, ...[...l].map((c) => c.charCodeAt(0))]), 0];
}

/** A DNS query (A record) with id `id`. */
function dnsQuery(id: number, name: string): Uint8Array {
  return bytes(u16(id), u16(0x0100), u16(1), u16(0), u16(0), u16(0), dnsName(name), u16(1), u16(1));
}

/** The response to it: one A record. */
function dnsResponse(id: number, name: string, addr: number[]): Uint8Array {
  return bytes(u16(id), u16(0x8180), u16(1), u16(1), u16(0), u16(0), dnsName(name), u16(1), u16(1), [0xc0, 0x0c], u16(1), u16(1), [0, 0, 0x0e, 0x10], u16(4), addr);
}

/** An ARP request who-has `target` tell `sender`. */
function arpRequest(senderMac: string, senderIp: string, targetIp: string): Uint8Array {
  const body = bytes(u16(1), u16(0x0800), [6, 4], u16(1), mac(senderMac), senderIp.split('.').map(Number), [0, 0, 0, 0, 0, 0], targetIp.split('.').map(Number));
  return eth(body, { src: senderMac, dst: 'ff:ff:ff:ff:ff:ff', type: 0x0806 });
}

function arpReply(senderMac: string, senderIp: string, targetMac: string, targetIp: string): Uint8Array {
  const body = bytes(u16(1), u16(0x0800), [6, 4], u16(2), mac(senderMac), senderIp.split('.').map(Number), mac(targetMac), targetIp.split('.').map(Number));
  return eth(body, { src: senderMac, dst: targetMac, type: 0x0806 });
}

const c2s = (payload: Uint8Array) => eth(ipv4(payload, { src: CLIENT.ip, dst: SERVER.ip, proto: 6 }), { src: CLIENT.mac, dst: SERVER.mac });
const s2c = (payload: Uint8Array) => eth(ipv4(payload, { src: SERVER.ip, dst: CLIENT.ip, proto: 6 }), { src: SERVER.mac, dst: CLIENT.mac });

export const HTTP_GET = 'GET /index.html HTTP/1.1\r\nHost: www.example.test\r\nUser-Agent: e2e\r\nAccept: */*\r\n\r\n';
const HTTP_BODY = '<!doctype html><title>ok</title>';
const HTTP_RESPONSE = `HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: ${HTTP_BODY.length}\r\n\r\n${HTTP_BODY}`;

/** A small web session: ARP, DNS, a TCP handshake, an HTTP GET and its response, the close. */
export function webSessionPackets(): TestPacket[] {
  const cs = 40001;
  const ISN_C = 1000;
  const ISN_S = 5000;
  const g = HTTP_GET.length;
  const r = HTTP_RESPONSE.length;
  const frames: Uint8Array[] = [
    arpRequest(CLIENT.mac, CLIENT.ip, '192.0.2.1'),
    arpReply('02:00:00:00:00:fe', '192.0.2.1', CLIENT.mac, CLIENT.ip),
    eth(ipv4(udp({ sport: 53000, dport: 53, payload: dnsQuery(0x1234, 'www.example.test') }), { src: CLIENT.ip, dst: RESOLVER.ip, proto: 17 }), { src: CLIENT.mac, dst: '02:00:00:00:00:fe' }),
    eth(ipv4(udp({ sport: 53, dport: 53000, payload: dnsResponse(0x1234, 'www.example.test', [198, 51, 100, 80]) }), { src: RESOLVER.ip, dst: CLIENT.ip, proto: 17 }), { src: '02:00:00:00:00:fe', dst: CLIENT.mac }),
    c2s(tcp({ sport: cs, dport: 80, flags: SYN, seq: ISN_C, win: 64240, options: [...mss(1460)] })),
    s2c(tcp({ sport: 80, dport: cs, flags: SYN | ACK, seq: ISN_S, ack: ISN_C + 1, win: 65160, options: [...mss(1460)] })),
    c2s(tcp({ sport: cs, dport: 80, flags: ACK, seq: ISN_C + 1, ack: ISN_S + 1, win: 64240 })),
    c2s(tcp({ sport: cs, dport: 80, flags: PSH | ACK, seq: ISN_C + 1, ack: ISN_S + 1, win: 64240, payload: HTTP_GET })),
    s2c(tcp({ sport: 80, dport: cs, flags: ACK, seq: ISN_S + 1, ack: ISN_C + 1 + g, win: 65160 })),
    s2c(tcp({ sport: 80, dport: cs, flags: PSH | ACK, seq: ISN_S + 1, ack: ISN_C + 1 + g, win: 65160, payload: HTTP_RESPONSE })),
    c2s(tcp({ sport: cs, dport: 80, flags: ACK, seq: ISN_C + 1 + g, ack: ISN_S + 1 + r, win: 64240 })),
    c2s(tcp({ sport: cs, dport: 80, flags: FIN | ACK, seq: ISN_C + 1 + g, ack: ISN_S + 1 + r, win: 64240 })),
    s2c(tcp({ sport: 80, dport: cs, flags: FIN | ACK, seq: ISN_S + 1 + r, ack: ISN_C + 2 + g, win: 65160 })),
    c2s(tcp({ sport: cs, dport: 80, flags: ACK, seq: ISN_C + 2 + g, ack: ISN_S + 2 + r, win: 64240 })),
  ];
  return frames.map((data, i) => ({ data, tsSec: T0, tsNsec: i * 1_250_000 + 17_000 }));
}

export function webSessionFile(): string {
  return tempFile('web-session.pcap', writePcap(webSessionPackets()));
}

/** The web session with the last record cut in half: a truncated file. */
export function truncatedFile(): { path: string; wholePackets: number } {
  const pkts = webSessionPackets();
  const full = writePcap(pkts);
  const lastLen = 16 + pkts[pkts.length - 1]!.data.length;
  return { path: tempFile('truncated.pcap', full.subarray(0, full.length - Math.floor(lastLen / 2))), wholePackets: pkts.length - 1 };
}

/** Source address of packet `i` (0-based) in largeFile(count): a scrambled 10.x.y.z. */
export function largeSource(i: number, count: number): string {
  const k = ((i * 7919 + 12345) % count) + 1;
  return `10.${(k >> 16) & 255}.${(k >> 8) & 255}.${k & 255}`;
}

/**
 * `count` small UDP packets between high ports (no protocol decoder claims them), from
 * scrambled sources (largeSource); 1 ms apart. A template patched per packet: fast to build.
 */
export function largeFile(count: number): string {
  const template = eth(ipv4(udp({ sport: 50123, dport: 50124, payload: 'e2e!' }), { src: '10.0.0.1', dst: '10.255.255.254', proto: 17 }));
  const rec = 16 + template.length;
  const out = new Uint8Array(24 + count * rec);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, 0xa1b2c3d4, true);
  dv.setUint16(4, 2, true);
  dv.setUint16(6, 4, true);
  dv.setUint32(16, 262144, true);
  dv.setUint32(20, 1, true);
  for (let i = 0; i < count; i++) {
    const o = 24 + i * rec;
    dv.setUint32(o, T0 + Math.floor(i / 1000), true);
    dv.setUint32(o + 4, (i % 1000) * 1000, true);
    dv.setUint32(o + 8, template.length, true);
    dv.setUint32(o + 12, template.length, true);
    out.set(template, o + 16);
    const ip = o + 16 + 14;
    const src = largeSource(i, count).split('.').map(Number);
    out.set(src, ip + 12);
    out[ip + 10] = 0;
    out[ip + 11] = 0;
    let sum = 0;
    for (let b = 0; b < 20; b += 2) sum += (out[ip + b]! << 8) | out[ip + b + 1]!;
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
    const c = ~sum & 0xffff;
    out[ip + 10] = c >> 8;
    out[ip + 11] = c & 255;
  }
  return tempFile(`large-${count}.pcap`, out);
}

// ---- tshark ----

export interface TsharkRow {
  num: number;
  time: string;
  source: string;
  destination: string;
  protocol: string;
  length: number;
  info: string;
}

/**
 * What tshark 4.0.17 prints for webSessionFile() (`tshark -r FILE -n`), kept here so the page is
 * checked against tshark's decode on machines without tshark too; where tshark is installed the
 * test also checks that this copy still matches a live run.
 */
export const WEB_SESSION_TSHARK = `
    1   0.000000 02:00:00:00:00:01 → ff:ff:ff:ff:ff:ff ARP 42 Who has 192.0.2.1? Tell 192.0.2.10
    2   0.001250 02:00:00:00:00:fe → 02:00:00:00:00:01 ARP 42 192.0.2.1 is at 02:00:00:00:00:fe
    3   0.002500   192.0.2.10 → 192.0.2.53   DNS 76 Standard query 0x1234 A www.example.test
    4   0.003750   192.0.2.53 → 192.0.2.10   DNS 92 Standard query response 0x1234 A www.example.test A 198.51.100.80
    5   0.005000   192.0.2.10 → 198.51.100.80 TCP 58 40001 → 80 [SYN] Seq=0 Win=64240 Len=0 MSS=1460
    6   0.006250 198.51.100.80 → 192.0.2.10   TCP 58 80 → 40001 [SYN, ACK] Seq=0 Ack=1 Win=65160 Len=0 MSS=1460
    7   0.007500   192.0.2.10 → 198.51.100.80 TCP 54 40001 → 80 [ACK] Seq=1 Ack=1 Win=64240 Len=0
    8   0.008750   192.0.2.10 → 198.51.100.80 HTTP 136 GET /index.html HTTP/1.1 
    9   0.010000 198.51.100.80 → 192.0.2.10   TCP 54 80 → 40001 [ACK] Seq=1 Ack=83 Win=65160 Len=0
   10   0.011250 198.51.100.80 → 192.0.2.10   HTTP 150 HTTP/1.1 200 OK  (text/html)
   11   0.012500   192.0.2.10 → 198.51.100.80 TCP 54 40001 → 80 [ACK] Seq=83 Ack=97 Win=64240 Len=0
   12   0.013750   192.0.2.10 → 198.51.100.80 TCP 54 40001 → 80 [FIN, ACK] Seq=83 Ack=97 Win=64240 Len=0
   13   0.015000 198.51.100.80 → 192.0.2.10   TCP 54 80 → 40001 [FIN, ACK] Seq=97 Ack=84 Win=65160 Len=0
   14   0.016250   192.0.2.10 → 198.51.100.80 TCP 54 40001 → 80 [ACK] Seq=84 Ack=98 Win=64240 Len=0
`;

export function hasTshark(): boolean {
  try {
    execFileSync('tshark', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** `tshark -r FILE -n`, parsed: "  1 0.000000 192.0.2.10 → 198.51.100.80 TCP 74 40001 → 80 [SYN] …". */
export function tsharkRows(file: string): TsharkRow[] {
  return parseTsharkLines(execFileSync('tshark', ['-r', file, '-n'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
}

export function parseTsharkLines(text: string): TsharkRow[] {
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => {
      const m = /^\s*(\d+)\s+(\S+)\s+(\S*)\s+→\s+(\S*)\s+(\S+)\s+(\d+)\s?(.*)$/.exec(l);
      if (!m) throw new Error(`cannot parse tshark line: ${l}`);
      return { num: +m[1]!, time: m[2]!, source: m[3]!, destination: m[4]!, protocol: m[5]!, length: +m[6]!, info: m[7]! };
    });
}

// ---- page helpers ----

export const grid = (page: Page): Locator => page.getByRole('grid', { name: 'Packets' });

export async function openWithPicker(page: Page, file: string): Promise<void> {
  await page.getByLabel('Open capture file').setInputFiles(file);
}

/** Starts dragging a file over the page (synthetic DataTransfer dragenter/dragover). */
export async function dragFileOver(page: Page, name: string, data: Uint8Array): Promise<void> {
  await page.evaluate(
    ({ name, bytes }) => {
      const file = new File([new Uint8Array(bytes)], name, { type: 'application/octet-stream' });
      const dt = new DataTransfer();
      dt.items.add(file);
      (window as unknown as { __e2eDrag?: DataTransfer }).__e2eDrag = dt;
      const target = document.elementFromPoint(innerWidth / 2, innerHeight / 2) ?? document.body;
      target.dispatchEvent(new DragEvent('dragenter', { bubbles: true, cancelable: true, dataTransfer: dt }));
      target.dispatchEvent(new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer: dt }));
    },
    { name, bytes: Array.from(data) },
  );
}

/** Drops the file being dragged (see dragFileOver). */
export async function dropDragged(page: Page): Promise<void> {
  await page.evaluate(() => {
    const dt = (window as unknown as { __e2eDrag?: DataTransfer }).__e2eDrag;
    const target = document.elementFromPoint(innerWidth / 2, innerHeight / 2) ?? document.body;
    target.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: dt }));
  });
}

/** Drops a file on the page through a synthetic DataTransfer drop, as a user's drag would. */
export async function dropFile(page: Page, name: string, data: Uint8Array): Promise<void> {
  await dragFileOver(page, name, data);
  await dropDragged(page);
}

export async function waitLoaded(page: Page): Promise<void> {
  await expect(page.getByTestId('status-load')).toHaveText(/Loaded in/);
}

/** The rendered data rows as objects, by column. */
export async function visibleRows(page: Page): Promise<{ pos: number; num: number; time: string; source: string; destination: string; protocol: string; length: number; info: string }[]> {
  return grid(page)
    .locator('[role="row"][data-num]')
    .evaluateAll((rows) =>
      rows
        .map((r) => {
          // innerText: the text as the page shows it (spaces collapsed or kept as the CSS says).
          const c = [...r.querySelectorAll('[role="gridcell"]')].map((x) => (x as HTMLElement).innerText);
          return { pos: Number(r.getAttribute("aria-rowindex")), num: Number(c[0]), time: c[1]!, source: c[2]!, destination: c[3]!, protocol: c[4]!, length: Number(c[5]), info: c[6]! };
        })
        .sort((a, b) => a.pos - b.pos),
    );
}

export function row(page: Page, num: number): Locator {
  return grid(page).locator(`[role="row"][data-num="${num}"]`);
}
