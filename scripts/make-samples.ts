// Builds the captures of the app's "Load sample" menu in public/samples/, and index.json.
//
//   npx tsx scripts/make-samples.ts             rebuild the derived samples from the recorded ones
//                                               (recording those first when missing), then check all
//   npx tsx scripts/make-samples.ts --record    record the real captures again (needs root: tcpdump,
//                                               nginx, curl on 127.0.0.0/8), then rebuild and check
//   npx tsx scripts/make-samples.ts --no-check  skip the tshark / CLI checks
//
// Samples:
//   nginx-balancer.pcapng  REAL loopback capture (scripts/capture/balancer.sh --sample): client →
//                          nginx balancer 127.0.0.10 (HTTP :8080, HTTPS :8443) → backends
//                          127.0.0.11/12:8081; TLS keys embedded as a Decryption Secrets Block.
//   handshake-rst.pcap     REAL loopback capture (scripts/capture/resets.ts): a normal request, a
//                          refused connection, a reset in the middle of a response.
//   lab-balancer.pcap      nginx-balancer.pcapng rewritten as a classic lab network (deterministic:
//                          same input → same bytes): 192.168.56.1 → 192.168.56.103:80/443 →
//                          192.168.56.104/105:8080, VirtualBox-style MACs, Ethernet-sized segments
//                          (MSS 1460), LAN-like timing, IP and TCP checksums recomputed.
//   one-direction.pcap     lab-balancer.pcap filtered like `tcpdump 'tcp dst port 80'`: only the
//                          client → balancer half of the HTTP connections.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCaptureBuffer } from '../src/capture/reader.ts';
import type { PacketRecord } from '../src/capture/types.ts';
import { writePcap, type TestPacket } from '../src/capture/testing/writer.ts';
import { recordResets } from './capture/resets.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SAMPLES = join(ROOT, 'public', 'samples');
const args = new Set(process.argv.slice(2));
const RECORD = args.has('--record');
const CHECK = !args.has('--no-check');

function log(msg: string): void {
  console.log(msg);
}

// ---------------------------------------------------------------------------------------------
// Reading

function readAll(file: string): PacketRecord[] {
  const recs: PacketRecord[] = [];
  const meta = readCaptureBuffer(new Uint8Array(readFileSync(file)), (r) => recs.push({ ...r, data: r.data.slice() }));
  if (meta.error) throw new Error(`${file}: ${meta.error.message}`);
  return recs;
}

// ---------------------------------------------------------------------------------------------
// Checksums

function sum16(b: Uint8Array, start: number, end: number, acc = 0): number {
  let s = acc;
  let i = start;
  for (; i + 1 < end; i += 2) s += (b[i]! << 8) | b[i + 1]!;
  if (i < end) s += b[i]! << 8;
  return s;
}

function fold(s: number): number {
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return ~s & 0xffff;
}

function put16(b: Uint8Array, at: number, v: number): void {
  b[at] = (v >>> 8) & 0xff;
  b[at + 1] = v & 0xff;
}

function put32(b: Uint8Array, at: number, v: number): void {
  put16(b, at, (v >>> 16) & 0xffff);
  put16(b, at + 2, v & 0xffff);
}

function get16(b: Uint8Array, at: number): number {
  return (b[at]! << 8) | b[at + 1]!;
}

function get32(b: Uint8Array, at: number): number {
  return ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
}

/** Fixes the IPv4 header checksum and the TCP checksum of an Ethernet/IPv4/TCP frame. */
function fixChecksums(f: Uint8Array): void {
  const ip = 14;
  const ihl = (f[ip]! & 0x0f) * 4;
  const total = get16(f, ip + 2);
  put16(f, ip + 10, 0);
  put16(f, ip + 10, fold(sum16(f, ip, ip + ihl)));
  const tcp = ip + ihl;
  const tcpLen = total - ihl;
  put16(f, tcp + 16, 0);
  let s = sum16(f, ip + 12, ip + 20); // source + destination addresses
  s += 6 + tcpLen;
  s = sum16(f, tcp, tcp + tcpLen, s);
  put16(f, tcp + 16, fold(s));
}

// ---------------------------------------------------------------------------------------------
// The lab rewrite

const LAB_HOSTS: Record<string, { ip: number[]; mac: number[]; role: string }> = {
  '127.0.0.1': { ip: [192, 168, 56, 1], mac: [0x0a, 0x00, 0x27, 0x00, 0x00, 0x00], role: 'client' },
  '127.0.0.10': { ip: [192, 168, 56, 103], mac: [0x08, 0x00, 0x27, 0x3a, 0x5c, 0x67], role: 'balancer' },
  '127.0.0.11': { ip: [192, 168, 56, 104], mac: [0x08, 0x00, 0x27, 0x8e, 0x11, 0x68], role: 'backend A' },
  '127.0.0.12': { ip: [192, 168, 56, 105], mac: [0x08, 0x00, 0x27, 0xc4, 0x27, 0x69], role: 'backend B' },
};
/** Server ports, per real host: balancer 8080 → 80, 8443 → 443; backends 8081 → 8080. */
const LAB_PORTS: Record<string, Record<number, number>> = {
  '127.0.0.10': { 8080: 80, 8443: 443 },
  '127.0.0.11': { 8081: 8080 },
  '127.0.0.12': { 8081: 8080 },
};
const LAB_MSS = 1460;
/** One-way network delay added whenever the sending host changes (a VirtualBox host-only LAN). */
const LAB_HOP_NS = 140_000n;
/** 1 Gbit/s: 8 ns per byte on the wire (+ 20 bytes preamble/IFG). */
const WIRE_NS_PER_BYTE = 8n;

/** Deterministic jitter (a small LCG), in ns, 0 ≤ j < max. */
function makeJitter(seed: number): (max: number) => bigint {
  let x = seed >>> 0;
  return (max) => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return BigInt(Math.floor((x / 2 ** 32) * max));
  };
}

function ipText(b: Uint8Array, at: number): string {
  return `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`;
}

interface Segment {
  data: Uint8Array;
  sender: string;
  /** Original timestamp, ns since the epoch. */
  ts: bigint;
  /** Index among the pieces one original segment was split into. */
  piece: number;
}

/** Rewrites one loopback frame into lab frames (split into MSS-sized segments when needed). */
function labFrames(rec: PacketRecord): Segment[] {
  const f = rec.data;
  const ts = BigInt(rec.tsSec) * 1_000_000_000n + BigInt(rec.tsNsec);
  if (rec.linkType !== 1 || f.length < 54 || get16(f, 12) !== 0x0800 || f[23] !== 6) {
    throw new Error(`lab rewrite: frame at offset ${rec.fileOffset} is not Ethernet/IPv4/TCP`);
  }
  const ihl = (f[14]! & 0x0f) * 4;
  const total = get16(f, 16);
  const tcp = 14 + ihl;
  const thl = (f[tcp + 12]! >> 4) * 4;
  const src = ipText(f, 26);
  const dst = ipText(f, 30);
  const hs = LAB_HOSTS[src];
  const hd = LAB_HOSTS[dst];
  if (!hs || !hd) throw new Error(`lab rewrite: unexpected address ${src} → ${dst}`);

  const head = f.slice(0, tcp + thl);
  head.set(hd.mac, 0);
  head.set(hs.mac, 6);
  head.set(hs.ip, 26);
  head.set(hd.ip, 30);
  const sport = get16(f, tcp);
  const dport = get16(f, tcp + 2);
  put16(head, tcp, LAB_PORTS[src]?.[sport] ?? sport);
  put16(head, tcp + 2, LAB_PORTS[dst]?.[dport] ?? dport);
  // TCP options: MSS 65495 (loopback) → 1460 (Ethernet).
  for (let o = tcp + 20; o < tcp + thl; ) {
    const kind = head[o]!;
    if (kind === 0) break;
    if (kind === 1) {
      o++;
      continue;
    }
    const len = head[o + 1]!;
    if (len < 2) break;
    if (kind === 2 && len === 4) put16(head, o + 2, Math.min(get16(head, o + 2), LAB_MSS));
    o += len;
  }

  // Initial windows as Linux advertises them on Ethernet (loopback's are MSS-derived too).
  if (f[tcp + 13]! & 0x02) {
    const win = get16(head, tcp + 14);
    if (win === 65495) put16(head, tcp + 14, 64240);
    else if (win === 65483) put16(head, tcp + 14, 65160);
  }

  const payload = f.subarray(tcp + thl, 14 + total);
  const maxChunk = LAB_MSS - (thl - 20);
  const pieces = Math.max(1, Math.ceil(payload.length / maxChunk));
  const seq = get32(f, tcp + 4);
  const flags = f[tcp + 13]!;
  const id = get16(f, 18);
  const out: Segment[] = [];
  for (let k = 0; k < pieces; k++) {
    const chunk = payload.subarray(k * maxChunk, Math.min(payload.length, (k + 1) * maxChunk));
    const frame = new Uint8Array(head.length + chunk.length);
    frame.set(head);
    frame.set(chunk, head.length);
    put16(frame, 16, ihl + thl + chunk.length);
    put16(frame, 18, (id + k) & 0xffff);
    put32(frame, tcp + 4, (seq + k * maxChunk) >>> 0);
    // FIN and PSH belong to the last piece only.
    if (k < pieces - 1) frame[tcp + 13] = flags & ~0x09;
    fixChecksums(frame);
    out.push({ data: frame, sender: src, ts, piece: k });
  }
  return out;
}

/**
 * New timestamps: the recorded gaps (nginx and TLS processing, the script's pauses) are kept;
 * each change of sending host adds a LAN hop (~140 µs ± jitter); each frame takes its 1 Gbit/s
 * wire time.
 */
function labTiming(segs: Segment[]): TestPacket[] {
  const jitter = makeJitter(56);
  const out: TestPacket[] = [];
  let t = segs.length ? segs[0]!.ts : 0n;
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i]!;
    if (i > 0) {
      const prev = segs[i - 1]!;
      let gap = s.piece > 0 ? 0n : s.ts - prev.ts;
      if (gap < 0n) gap = 0n;
      if (s.sender !== prev.sender) gap += LAB_HOP_NS + jitter(60_000);
      gap += BigInt(s.data.length + 20) * WIRE_NS_PER_BYTE + jitter(3_000);
      t += gap;
    }
    out.push({ data: s.data, tsSec: Number(t / 1_000_000_000n), tsNsec: Number(t % 1_000_000_000n) });
  }
  return out;
}

function buildLab(src: string, dst: string): TestPacket[] {
  const segs = readAll(src).flatMap(labFrames);
  const pkts = labTiming(segs);
  writeFileSync(dst, writePcap(pkts, { linkType: 1, snapLen: 262144 }));
  return pkts;
}

/** `tcpdump -r lab -w out 'tcp dst port 80'`, in code. */
function buildOneDirection(pkts: TestPacket[], dst: string, port: number): number {
  const keep = pkts.filter((p) => {
    const f = p.data;
    if (get16(f, 12) !== 0x0800 || f[23] !== 6) return false;
    const tcp = 14 + (f[14]! & 0x0f) * 4;
    return get16(f, tcp + 2) === port;
  });
  writeFileSync(dst, writePcap(keep, { linkType: 1, snapLen: 262144 }));
  return keep.length;
}

// ---------------------------------------------------------------------------------------------
// Recording

function recordBalancer(out: string): void {
  const script = join(ROOT, 'scripts', 'capture', 'balancer.sh');
  log(`recording ${out}: bash scripts/capture/balancer.sh --sample -o ${out}`);
  const keylog = join(ROOT, 'bench', 'out', 'nginx-balancer-sample.keylog');
  mkdirSync(dirname(keylog), { recursive: true });
  const r = spawnSync('bash', [script, '--sample', '-o', out, '--keylog', keylog], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`balancer.sh failed (exit ${r.status})`);
}

// ---------------------------------------------------------------------------------------------
// Checks

function check(file: string, expectPackets: number): boolean {
  const name = file.slice(SAMPLES.length + 1);
  const ts = spawnSync('tshark', ['-r', file, '-n'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const tsLines = ts.stdout.split('\n').filter((l) => l.trim() !== '');
  const problems: string[] = [];
  if (ts.status !== 0) problems.push(`tshark exit ${ts.status}: ${ts.stderr.trim()}`);
  if (tsLines.length !== expectPackets) problems.push(`tshark shows ${tsLines.length} packets, expected ${expectPackets}`);
  const bad = tsLines.filter((l) => /Malformed|Bogus|Exception|\[TCP (ACKed unseen|Previous segment not captured)/.test(l));
  // One-direction captures are expected to lack the other half; everything else must be clean.
  if (bad.length && !name.startsWith('one-direction')) problems.push(`tshark flags: ${bad.slice(0, 3).join(' | ')}`);
  const protos = spawnSync('tshark', ['-r', file, '-n', '-T', 'fields', '-e', 'frame.protocols'], { encoding: 'utf8' })
    .stdout.split('\n')
    .filter(Boolean);
  const seen = new Set(protos.flatMap((p) => p.split(':')));
  const cli = spawnSync('npx', ['tsx', 'src/cli/main.ts', 'summary', file], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
  const cliLines = cli.stdout.split('\n').filter((l) => l.trim() !== '');
  let same = 0;
  for (let i = 0; i < Math.min(cliLines.length, tsLines.length); i++) if (cliLines[i] === tsLines[i]) same++;
  log(
    `  ${name}: tshark ${tsLines.length} packets [${['tcp', 'http', 'tls', 'data-text-lines'].filter((p) => seen.has(p)).join(', ')}]` +
      `${bad.length ? `, ${bad.length} flagged line(s)` : ''}; ` +
      `our CLI ${cli.status === 0 ? `${cliLines.length} lines, ${same} identical to tshark's` : `FAILED (exit ${cli.status}): ${cli.stderr.trim().split('\n')[0]}`}`,
  );
  for (const p of problems) log(`    PROBLEM: ${p}`);
  return problems.length === 0;
}

// ---------------------------------------------------------------------------------------------

interface IndexEntry {
  file: string;
  title: string;
  description: string;
  packets: number;
}

async function main(): Promise<void> {
  mkdirSync(SAMPLES, { recursive: true });
  const balancer = join(SAMPLES, 'nginx-balancer.pcapng');
  const resets = join(SAMPLES, 'handshake-rst.pcap');
  const lab = join(SAMPLES, 'lab-balancer.pcap');
  const oneDir = join(SAMPLES, 'one-direction.pcap');

  if (RECORD || !existsSync(balancer)) recordBalancer(balancer);
  else log(`reusing ${balancer} (--record to record it again)`);
  if (RECORD || !existsSync(resets)) {
    log(`recording ${resets}: npx tsx scripts/capture/resets.ts ${resets}`);
    await recordResets(resets);
  } else log(`reusing ${resets} (--record to record it again)`);

  const labPkts = buildLab(balancer, lab);
  log(`wrote ${lab}: ${labPkts.length} packets (rewritten from nginx-balancer.pcapng)`);
  const oneCount = buildOneDirection(labPkts, oneDir, 80);
  log(`wrote ${oneDir}: ${oneCount} packets (lab-balancer.pcap, tcp dst port 80)`);

  const count = (f: string) => readAll(f).length;
  const index: IndexEntry[] = [
    {
      file: 'nginx-balancer.pcapng',
      title: 'nginx load balancer (real capture)',
      description:
        'Real loopback capture: a client (127.0.0.1) sends HTTP (:8080) and HTTPS (:8443, TLS 1.3 and 1.2) requests ' +
        'to an nginx load balancer (127.0.0.10), which proxies them round robin to two backends (127.0.0.11 and ' +
        '127.0.0.12, port 8081): client↔balancer and balancer↔backend TCP sessions, TLS handshakes, a 20 KB page, ' +
        'one keep-alive client connection. TLS keys are embedded (pcapng decryption secrets).',
      packets: count(balancer),
    },
    {
      file: 'lab-balancer.pcap',
      title: 'Lab: load balancer on 192.168.56.0/24',
      description:
        'The same exchange as a classic lab network: client 192.168.56.1 → balancer 192.168.56.103 (:80, :443) → ' +
        'backends 192.168.56.104 and 192.168.56.105 (:8080), with their own MAC addresses, Ethernet-sized ' +
        'segments (MSS 1460) and LAN timing. Rewritten from the real capture.',
      packets: labPkts.length,
    },
    {
      file: 'handshake-rst.pcap',
      title: 'Refused connection and reset',
      description:
        'Real loopback capture: a normal HTTP request, a connection refused by a closed port (SYN answered by RST), ' +
        'and a download the server aborts half-way with a RST.',
      packets: count(resets),
    },
    {
      file: 'one-direction.pcap',
      title: 'One direction only (dst port 80)',
      description:
        'The lab capture as a filter like tcpdump "dst port 80" would record it: only client → balancer packets, ' +
        'so the SYN/ACKs and every reply are missing: the client ACKs data that never appears in the capture.',
      packets: oneCount,
    },
  ];
  writeFileSync(join(SAMPLES, 'index.json'), JSON.stringify(index, null, 2) + '\n');
  log(`wrote ${join(SAMPLES, 'index.json')}`);

  if (CHECK) {
    log('checks (tshark -r FILE -n; npm run cli -- summary FILE):');
    let ok = true;
    for (const e of index) ok = check(join(SAMPLES, e.file), e.packets) && ok;
    if (!ok) process.exitCode = 1;
  }
}

main().catch((e: unknown) => {
  console.error(`make-samples: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
