import { describe, expect, it } from 'vitest';
import { reusedChunks } from '../capture/testing/feed.ts';
import { writePcap, type TestPacket } from '../capture/testing/writer.ts';
import { ACK, decodeFrames, eth, ipv4, mss, sackPerm, SYN, tcp, udp, wscale } from '../dissect/testing/packets.ts';
import { CLIENT_HELLO, HTTP_SCENARIOS } from '../dissect/testing/tls-scenarios.ts';
import { TcpTalk } from '../ui/ladder/testing/talk.ts';
import { CaptureEngine, INFO_UNREADABLE, type LoadSource } from './engine.ts';
import { ColumnArena, useColumnArena } from '../lib/growable.ts';
import { firstPassOutcome } from './testing/outcome.ts';

const T0 = 1_700_000_000;

/** A capture whose re-dissection needs other frames: HTTP and TLS split over segments, IP fragments. */
function capture(): Uint8Array {
  const web = new TcpTalk({ client: ['192.0.2.10', 50001], server: ['198.51.100.80', 80], t0: T0 });
  const request = 'GET /index.html HTTP/1.1\r\nHost: example.org\r\nUser-Agent: test\r\n\r\n';
  const body = 'x'.repeat(3000);
  const response = `HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
  web.handshake().data(true, request.slice(0, 20)).data(true, request.slice(20));
  for (let o = 0; o < response.length; o += 1200) web.data(false, response.slice(o, o + 1200));
  web.close();
  const tls = new TcpTalk({ client: ['192.0.2.10', 50002], server: ['198.51.100.80', 443], t0: T0 + 0.5 });
  tls.handshake().data(true, CLIENT_HELLO.subarray(0, 40)).data(true, CLIENT_HELLO.subarray(40)).close();
  // A UDP datagram in two IPv4 fragments (RFC 791), after the TCP talks.
  const dgram = udp({ sport: 5000, dport: 6000, payload: new Uint8Array(1200).fill(7) });
  const frag = (off: number, end: number, mf: boolean): TestPacket => ({
    data: eth(ipv4(dgram.subarray(off, end), { src: '192.0.2.30', dst: '192.0.2.31', proto: 17, id: 77, fragOffset: off, mf })),
    tsSec: T0 + 2,
    tsNsec: off,
  });
  return writePcap([...web.packets, ...tls.packets, frag(0, 800, true), frag(800, dgram.length, false)]);
}

async function load(file: Uint8Array, fromFile: boolean): Promise<{ engine: CaptureEngine; reads: [number, number][] }> {
  const engine = new CaptureEngine();
  const reads: [number, number][] = [];
  const src: LoadSource = fromFile
    ? {
        name: 'f.pcap',
        totalBytes: file.length,
        chunks: reusedChunks(file, 700),
        keepHeadBytes: 0,
        readAt: async (offset, length) => {
          reads.push([offset, length]);
          return file.slice(offset, offset + length);
        },
      }
    : { name: 'f.pcap', totalBytes: file.length, chunks: (async function* () { yield file; })() };
  await engine.load(src);
  return { engine, reads };
}

describe('CaptureEngine without the capture bytes in memory', () => {
  it('shows the same rows, details, sessions and ladders as with every byte kept', async () => {
    const file = capture();
    const kept = (await load(file, false)).engine;
    const { engine, reads } = await load(file, true);
    const n = kept.store.count;
    expect(engine.store.count).toBe(n);
    expect(reads).toEqual([]); // the first pass reads the file once, as a stream

    const rowsKept = kept.rows(0, n);
    const rows = await engine.withBytes(() => engine.rowIndices(0, n), () => engine.rows(0, n));
    expect(rows).toEqual(rowsKept);
    // The reassembled PDUs, shown on the frames that complete them.
    const infos = rows.map((r) => r.info);
    expect(infos).toContain('GET /index.html HTTP/1.1 ');
    expect(infos).toContain('HTTP/1.1 200 OK  (text/plain)');
    expect(infos).toContain('Client Hello (SNI=example.com)');
    expect(rows.some((r) => r.protocol === 'UDP' && r.info.startsWith('5000 → 6000'))).toBe(true);
    expect(reads.length).toBeGreaterThan(0);

    for (let i = 0; i < n; i++) {
      // One frame at a time with an empty cache: its reassembly sources are read with it.
      engine.store.trimCache(0);
      expect(await engine.withBytes(() => [i], () => engine.details(i))).toEqual(kept.details(i));
    }
    expect(engine.sessions()).toEqual(kept.sessions());
    expect(engine.sessions().map((s) => s.sni)).toEqual([null, 'example.com']);
    engine.store.trimCache(0);
    expect(await engine.withBytes(() => engine.streamIndices([0]), () => engine.ladder(0))).toEqual(kept.ladder(0));
    expect(await engine.withBytes(() => engine.streamIndices([0, 1]), () => engine.hostLadder([0, 1]))).toEqual(kept.hostLadder([0, 1]));
  });

  it('sorts by Info from texts made by reading the file again', async () => {
    const file = capture();
    const kept = (await load(file, false)).engine;
    const { engine } = await load(file, true);
    const view = { sort: { column: 'info' as const, desc: false }, timeFormat: 'relative' as const, tcpStream: null };
    const n = kept.setView(view);
    expect(await engine.applyView(view)).toBe(n);
    expect(await engine.withBytes(() => engine.rowIndices(0, n), () => engine.rows(0, n))).toEqual(kept.rows(0, n));
  });

  it('keeps no capture bytes: its memory is the packet table', async () => {
    const file = capture();
    const kept = (await load(file, false)).engine;
    const { engine } = await load(file, true);
    expect(kept.store.buffers.reduce((s, b) => s + b.length, 0)).toBeGreaterThanOrEqual(file.length);
    expect(engine.store.buffers).toEqual([]);
    // The table of a few dozen packets, not a table sized for a large capture.
    expect(engine.store.memoryEstimate()).toBeLessThan(200_000);
    expect(engine.store.capLen.length).toBeLessThanOrEqual(1024);
    expect(() => engine.store.bytes(0)).toThrow(/not loaded/);
  });

  it('passes on a failure to read the file, and answers again once the file reads', async () => {
    const file = capture();
    const engine = new CaptureEngine();
    let broken = false;
    let shorter = false;
    await engine.load({
      name: 'f.pcap',
      totalBytes: file.length,
      chunks: reusedChunks(file, 4096),
      keepHeadBytes: 0,
      readAt: async (offset, length) => {
        if (broken) throw new Error('the file was changed after it was opened');
        return file.slice(offset, shorter ? offset + length - 1 : offset + length);
      },
    });
    shorter = true;
    await expect(engine.withBytes(() => [3], () => engine.details(3))).rejects.toThrow('the file is shorter than when it was opened');
    shorter = false;
    broken = true;
    await expect(engine.withBytes(() => [3], () => engine.details(3))).rejects.toThrow('the file was changed');
    // Rows without the bytes: every column but Info.
    const rows = engine.rows(0, 4, false);
    expect(rows.map((r) => r.info)).toEqual(Array(4).fill(INFO_UNREADABLE));
    expect(rows[3]).toMatchObject({ num: 4, source: '192.0.2.10', destination: '198.51.100.80', protocol: 'TCP' });
    broken = false;
    expect((await engine.withBytes(() => [3], () => engine.details(3)))?.num).toBe(4);
    expect(engine.state.dissectorBugs).toBe(0);
  });

  it('keeps the start of the file: the first rows need no read', async () => {
    const file = capture();
    const kept = (await load(file, false)).engine;
    const engine = new CaptureEngine();
    const reads: number[] = [];
    const head = 2000;
    await engine.load({
      name: 'f.pcap',
      totalBytes: file.length,
      chunks: reusedChunks(file, 500),
      keepHeadBytes: head,
      readAt: async (offset, length) => {
        reads.push(offset);
        return file.slice(offset, offset + length);
      },
    });
    const inHead = kept.rows(0, kept.store.count).filter((r) => engine.store.fileOffset[r.index]! + engine.store.capLen[r.index]! <= head);
    expect(inHead.length).toBeGreaterThan(5);
    expect(engine.rows(0, inHead.length)).toEqual(inHead);
    expect(reads).toEqual([]);
    expect(engine.store.missing([inHead.length])).toEqual([inHead.length]);
  });

  it('says which frames are missing instead of showing a malformed packet', async () => {
    const { engine } = await load(capture(), true);
    expect(() => engine.info(3)).toThrow(/frame 4 .*not loaded|frames? 4/);
    expect(engine.state.dissectorBugs).toBe(0);
  });
});

describe('CaptureEngine column room', () => {
  it('makes room for the rows the file is expected to hold instead of doubling past them', async () => {
    // ~12 MB of 1,000-byte UDP packets, read in 1 MiB slices: the guess comes after 4 MiB,
    // and the columns grow past 8,192 rows after it.
    const packets: TestPacket[] = [];
    for (let i = 0; i < 12_000; i++) {
      const payload = new Uint8Array(958).fill(i & 0xff);
      packets.push({ data: eth(ipv4(udp({ sport: 1000, dport: 2000, payload }), { src: '192.0.2.1', dst: '192.0.2.2', proto: 17 })), tsSec: T0, tsNsec: i });
    }
    const file = writePcap(packets);
    const engine = new CaptureEngine();
    await engine.load({ name: 'f.pcap', totalBytes: file.length, chunks: reusedChunks(file, 1 << 20) });
    expect(engine.store.count).toBe(12_000);
    // Doubling from 1,024 would leave 16,384 rows of room; the guess leaves ~5% over the count.
    expect(engine.store.capLen.length).toBeGreaterThanOrEqual(12_000);
    expect(engine.store.capLen.length).toBeLessThan(12_000 * 1.1);
  });
});

describe('CaptureEngine with column memory touched in advance', () => {
  it('keeps its columns in the arena and decodes exactly as without it', async () => {
    const file = capture();
    const plain = (await load(file, false)).engine;
    const arena = new ColumnArena(new ArrayBuffer(4 << 20));
    arena.touch(4 << 20);
    useColumnArena(arena);
    let inArena: CaptureEngine;
    let memory: number;
    try {
      const e = new CaptureEngine();
      memory = (await e.load({ name: 'f.pcap', totalBytes: file.length, chunks: (async function* () { yield file; })() })).memoryBytes;
      inArena = e;
    } finally {
      useColumnArena(null);
    }
    // The arena is held whole (touched in advance): counted in the decoder's memory.
    expect(memory).toBeGreaterThanOrEqual(4 << 20);
    // (=== on the buffers: a failing toBe would print 4 MiB of them.)
    expect(inArena.store.capLen.buffer === arena.buffer && inArena.store.tsSec.buffer === arena.buffer).toBe(true);
    expect(plain.store.capLen.buffer === arena.buffer).toBe(false);
    expect(firstPassOutcome(inArena)).toEqual(firstPassOutcome(plain));
  });
});

describe('CaptureEngine TCP columns', () => {
  it('keeps the stream of a segment that is malformed after its stream was found (tshark gives it tcp.stream)', async () => {
    const addr = { src: '192.0.2.1', dst: '192.0.2.2', proto: 6 };
    const syn = eth(ipv4(tcp({ sport: 40000, dport: 25, flags: SYN, seq: 7, options: [...mss(1460), ...sackPerm(), ...wscale(7)] }), addr));
    const ack = eth(ipv4(tcp({ sport: 40000, dport: 25, flags: ACK, seq: 8, ack: 1 }), addr));
    // The first SYN is cut by the snaplen inside its options, like tcpdump -s 68.
    const file = writePcap([
      { data: syn.subarray(0, syn.length - 6), origLen: syn.length, tsSec: T0 },
      { data: ack, tsSec: T0, tsNsec: 1000 },
    ]);
    const engine = new CaptureEngine();
    await engine.load({ name: 'f.pcap', totalBytes: file.length, chunks: (async function* () { yield file; })() });
    const rows = engine.rows(0, 2);
    expect(rows[0]!.info).toContain('[Packet size limited during capture]');
    expect([engine.store.tcpStreamOf(0), engine.store.tcpStreamOf(1)]).toEqual([0, 0]);
    expect(engine.store.tcpSeqOf(1)).toBe(1);
    expect(engine.sessions().map((x) => [x.stream, x.packets[0] + x.packets[1]])).toEqual([[0, 2]]);
  });
});

describe('CaptureEngine rows of coded HTTP bodies', () => {
  it('names them in the Protocol column from the first pass as the command line does from its full decode', async () => {
    const conv = HTTP_SCENARIOS.coded!();
    const { engine } = await load(conv.pcap(), false);
    const cli = decodeFrames(conv.frames);
    expect(engine.rows(0, engine.store.count).map((r) => `${r.protocol} ${r.info}`)).toEqual(cli.rows.map((r) => `${r.protocol} ${r.info}`));
    expect(engine.rows(11, 1)[0]!.protocol).toBe('HTTP/XML'); // a gzip'd XML document under text/html
  });
});
