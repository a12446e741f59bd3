import { describe, expect, it } from 'vitest';
import { formatIpv6 } from './pcapng.ts';
import { readCaptureBuffer } from './reader.ts';
import { plain, randomSizes, readChunked, readSplit } from './testing/feed.ts';
import { concatBytes, fakePacket, parseAddress, writePcapng, writeSimplePcapng } from './testing/writer.ts';
import type { PcapngBlockSpec } from './testing/writer.ts';
import type { PacketRecord } from './types.ts';

function readAll(buf: Uint8Array) {
  const recs: PacketRecord[] = [];
  const meta = readCaptureBuffer(buf, (r) => recs.push(r));
  return { recs, meta };
}

const P1 = fakePacket(60, 1);
const P2 = fakePacket(342, 2);
const P3 = fakePacket(13, 3);

/** A section exercising every block type. */
function everyBlock(bigEndian: boolean, tag: string): PcapngBlockSpec[] {
  return [
    { type: 'shb', bigEndian, hardware: 'x86_64', os: 'Linux 6.1', userAppl: 'writer.ts', comment: `${tag} SHB` },
    { type: 'idb', linkType: 1, snapLen: 262144, name: 'eth0', description: 'wired', comment: 'first if' },
    { type: 'nrb', records: [{ kind: 'ipv4', address: '10.0.0.1', names: ['a.example', 'b.example'] }, { kind: 'ipv6', address: '2001:db8::1', names: ['v6.example'] }] },
    { type: 'custom', pen: 32473, data: fakePacket(5) },
    { type: 'epb', data: P1, tsSec: 1700000000, tsNsec: 123456000, comment: ['hello', 'wörld'], flags: 0x1, dropCount: 3n },
    { type: 'idb', linkType: 0, snapLen: 64, tsresol: 9, name: 'lo0' },
    { type: 'raw', blockType: 0x80000001, body: fakePacket(12) }, // Darwin process info
    { type: 'epb', interfaceId: 1, data: P2.subarray(0, 64), origLen: 342, tsSec: 1700000001, tsNsec: 987654321 },
    { type: 'spb', data: P3 },
    { type: 'opb', interfaceId: 1, drops: 7, data: P1, tsSec: 1700000002, tsNsec: 5, comment: 'old', flags: 2 },
    { type: 'dsb', secretsType: 0x544c534b, data: new TextEncoder().encode('CLIENT_RANDOM 00 11\n') },
    { type: 'custom', copyable: false, pen: 32473, data: fakePacket(9) },
    { type: 'raw', blockType: 0x00000bad + 1, body: fakePacket(4) }, // unknown block type
    { type: 'isb', interfaceId: 0, tsSec: 1700000003, tsNsec: 1000, ifRecv: 100n, ifDrop: 2n, comment: 'stats' },
  ];
}

describe('pcapng', () => {
  for (const bigEndian of [false, true]) {
    it(`reads every block type (${bigEndian ? 'big' : 'little'}-endian)`, () => {
      const buf = writePcapng(everyBlock(bigEndian, 'one'));
      const { recs, meta } = readAll(buf);
      expect(meta.error).toBeUndefined();
      expect(meta.warnings).toEqual([]);
      expect(meta.format).toBe('pcapng');
      expect(meta.bigEndian).toBe(bigEndian);
      expect([meta.versionMajor, meta.versionMinor, meta.sectionCount]).toEqual([1, 0, 1]);
      expect(meta.sectionComments).toEqual(['one SHB']);
      expect([meta.hardware, meta.os, meta.userAppl]).toEqual(['x86_64', 'Linux 6.1', 'writer.ts']);
      expect(meta.customBlocks).toBe(2);
      expect(meta.skippedBlocks).toBe(2);
      expect(meta.packetCount).toBe(4);
      expect(meta.interfaces).toEqual([
        {
          linkType: 1,
          snapLen: 262144,
          name: 'eth0',
          description: 'wired',
          comments: ['first if'],
          tsUnitsPerSec: 1000000n,
          tsOffsetSec: 0n,
          tsPrecision: 6,
          sectionIndex: 0,
          sectionInterfaceId: 0,
        },
        { linkType: 0, snapLen: 64, name: 'lo0', tsUnitsPerSec: 1000000000n, tsOffsetSec: 0n, tsPrecision: 9, sectionIndex: 0, sectionInterfaceId: 1 },
      ]);
      expect(meta.names).toEqual([
        { kind: 'ipv4', address: '10.0.0.1', names: ['a.example', 'b.example'] },
        { kind: 'ipv6', address: '2001:db8::1', names: ['v6.example'] },
      ]);
      expect(meta.secrets).toHaveLength(1);
      expect(meta.secrets[0]!.secretsType).toBe(0x544c534b);
      expect(new TextDecoder().decode(meta.secrets[0]!.data)).toBe('CLIENT_RANDOM 00 11\n');
      expect(meta.secrets[0]!.data.buffer).not.toBe(buf.buffer); // a copy
      expect(meta.statistics).toEqual([{ interfaceId: 0, tsSec: 1700000003, tsNsec: 1000, ifRecv: 100n, ifDrop: 2n, comments: ['stats'] }]);

      const [epb1, epb2, spb, opb] = recs;
      expect(plain(epb1!)).toEqual({
        data: Array.from(P1),
        origLen: 60,
        tsSec: 1700000000,
        tsNsec: 123456000,
        hasTs: true,
        tsPrecision: 6,
        linkType: 1,
        interfaceId: 0,
        fileOffset: epb1!.data.byteOffset,
        comments: ['hello', 'wörld'],
        epbFlags: 1,
        dropCount: 3,
      });
      expect(epb1!.data.buffer).toBe(buf.buffer);
      expect([epb2!.tsSec, epb2!.tsNsec, epb2!.tsPrecision, epb2!.interfaceId, epb2!.linkType, epb2!.data.length, epb2!.origLen]).toEqual([
        1700000001, 987654321, 9, 1, 0, 64, 342,
      ]);
      expect(epb2!.comments).toBeUndefined();
      // SPB: no timestamp, first interface of the section, caplen = min(orig, snaplen, room).
      expect(plain(spb!)).toMatchObject({ data: Array.from(P3), origLen: 13, hasTs: false, tsSec: 0, tsNsec: 0, interfaceId: 0, linkType: 1 });
      // Obsolete Packet Block: 16-bit interface id, drops count.
      expect(plain(opb!)).toMatchObject({ tsSec: 1700000002, tsNsec: 5, interfaceId: 1, dropCount: 7, comments: ['old'], epbFlags: 2 });
    });
  }

  it('numbers interfaces file-wide across sections of mixed byte order', () => {
    const buf = writePcapng([
      ...everyBlock(true, 'be'),
      { type: 'shb', comment: 'le' },
      { type: 'idb', linkType: 101, name: 'raw0' },
      { type: 'epb', data: P3, tsSec: 1, tsNsec: 2000 },
      { type: 'spb', data: P3 },
      { type: 'shb', bigEndian: true },
      { type: 'idb', linkType: 228, tsresol: 3 },
      { type: 'idb', linkType: 229, tsresol: 0x88 },
      { type: 'epb', interfaceId: 1, data: P1, ts: 256n * 5n + 128n },
      { type: 'epb', interfaceId: 0, data: P1, ts: 1234n },
    ]);
    for (const { recs, meta } of [readAll(buf), readChunked(buf, 5)]) {
      expect(meta.error).toBeUndefined();
      expect(meta.sectionCount).toBe(3);
      expect(meta.bigEndian).toBe(true); // the first section's
      expect(meta.sectionComments).toEqual(['be SHB', 'le']);
      expect(meta.interfaces.map((i) => [i.linkType, i.sectionIndex, i.sectionInterfaceId])).toEqual([
        [1, 0, 0],
        [0, 0, 1],
        [101, 1, 0],
        [228, 2, 0],
        [229, 2, 1],
      ]);
      expect(recs.slice(4).map((r) => [r.interfaceId, r.linkType, r.hasTs, r.tsSec, r.tsNsec, r.tsPrecision])).toEqual([
        [2, 101, true, 1, 2000, 6],
        [2, 101, false, 0, 0, 6],
        [4, 229, true, 5, 500000000, 2],
        [3, 228, true, 1, 234000000, 3],
      ]);
    }
  });

  it('converts if_tsresol 10^-n and 2^-n timestamps exactly, plus if_tsoffset', () => {
    const cases: { tsresol: number; ts: bigint; sec: number; nsec: number; prec: number }[] = [
      { tsresol: 6, ts: 1700000000_123456n, sec: 1700000000, nsec: 123456000, prec: 6 },
      { tsresol: 9, ts: 1700000000_123456789n, sec: 1700000000, nsec: 123456789, prec: 9 },
      { tsresol: 9, ts: 18446744073_709551615n, sec: 18446744073, nsec: 709551615, prec: 9 }, // 2^64-1
      { tsresol: 9, ts: 999_999999999n, sec: 999, nsec: 999999999, prec: 9 },
      { tsresol: 0, ts: 42n, sec: 42, nsec: 0, prec: 0 },
      { tsresol: 3, ts: 1700000000_999n, sec: 1700000000, nsec: 999000000, prec: 3 },
      { tsresol: 4, ts: 1700000000_9999n, sec: 1700000000, nsec: 999900000, prec: 4 },
      { tsresol: 12, ts: 123_456789012345n, sec: 123, nsec: 456789012, prec: 9 }, // tshark 4.0 overflows here
      { tsresol: 0x88, ts: 388896768050n, sec: 1519128000, nsec: 195312500, prec: 2 }, // gopacket test902
      { tsresol: 0x80 | 10, ts: 1024n * 7n + 1n, sec: 7, nsec: 976562, prec: 3 }, // 1/1024 s = 976562.5 ns, truncated
      { tsresol: 0x80 | 20, ts: (1n << 20n) * 1700000000n + 524288n, sec: 1700000000, nsec: 500000000, prec: 6 },
      { tsresol: 0x80 | 32, ts: (1n << 32n) * 3n + 1n, sec: 3, nsec: 0, prec: 9 },
      { tsresol: 0x80 | 63, ts: (1n << 63n) + (1n << 62n), sec: 1, nsec: 500000000, prec: 9 },
    ];
    for (const c of cases) {
      for (const bigEndian of [false, true]) {
        const { recs, meta } = readAll(
          writePcapng([{ type: 'shb', bigEndian }, { type: 'idb', tsresol: c.tsresol }, { type: 'epb', data: P1, ts: c.ts }]),
        );
        expect(meta.error, `tsresol ${c.tsresol}`).toBeUndefined();
        expect([recs[0]!.tsSec, recs[0]!.tsNsec, recs[0]!.tsPrecision], `tsresol 0x${c.tsresol.toString(16)}`).toEqual([c.sec, c.nsec, c.prec]);
      }
    }
    // Exhaustive-ish check of the ns fast path against BigInt arithmetic.
    let x = 0x9e3779b97f4a7c15n;
    const blocks: PcapngBlockSpec[] = [{ type: 'shb' }, { type: 'idb', tsresol: 9 }, { type: 'idb' }];
    const expected: [number, number][] = [];
    for (let i = 0; i < 2000; i++) {
      x = (x * 6364136223846793005n + 1442695040888963407n) & 0xffffffffffffffffn;
      const ifId = i & 1;
      const units = ifId === 0 ? 1000000000n : 1000000n;
      blocks.push({ type: 'epb', interfaceId: ifId, data: P3, ts: x });
      expected.push([Number(x / units), Number(((x % units) * 1000000000n) / units)]);
    }
    expect(readAll(writePcapng(blocks)).recs.map((r) => [r.tsSec, r.tsNsec])).toEqual(expected);

    // if_tsoffset (seconds, signed) is added.
    const off = readAll(
      writePcapng([
        { type: 'shb' },
        { type: 'idb', tsoffset: 1000 },
        { type: 'idb', tsoffset: -10n, tsresol: 9 },
        { type: 'epb', data: P1, tsSec: 1005, tsNsec: 1000 },
        { type: 'epb', interfaceId: 1, data: P1, ts: 5_000001000n },
      ]),
    );
    expect(off.meta.interfaces.map((i) => i.tsOffsetSec)).toEqual([1000n, -10n]);
    expect(off.recs.map((r) => [r.tsSec, r.tsNsec])).toEqual([
      [1005, 1000],
      [-5, 1000],
    ]);
  });

  it('takes SPB caplen = min(original length, snaplen, block room)', () => {
    const big = fakePacket(100);
    const buf = writePcapng([
      { type: 'shb' },
      { type: 'idb', snapLen: 50 },
      { type: 'spb', data: big.subarray(0, 50), origLen: 100 }, // snapped by the writer
      { type: 'spb', data: big.subarray(0, 20), origLen: 20 },
      { type: 'shb' },
      { type: 'idb', snapLen: 0 },
      { type: 'spb', data: big.subarray(0, 30), origLen: 100 }, // room limits (30 + padding 2)
      { type: 'spb', data: big.subarray(0, 31), origLen: 31 },
    ]);
    const { recs, meta } = readAll(buf);
    expect(meta.error).toBeUndefined();
    expect(recs.map((r) => [r.data.length, r.origLen, r.hasTs])).toEqual([
      [50, 100, false],
      [20, 20, false],
      [32, 100, false],
      [31, 31, false],
    ]);
  });

  it('keeps strings up to the first NUL and repairs bad UTF-8', () => {
    const { recs, meta } = readAll(
      writePcapng([
        { type: 'shb', options: [{ code: 2, value: 'x86_64\0junk' }], comment: 'section header block\0' },
        { type: 'idb', name: 'en0\0' },
        { type: 'epb', data: P1, options: [{ code: 1, value: Uint8Array.of(0x61, 0xff, 0x62) }] },
      ]),
    );
    expect(meta.hardware).toBe('x86_64');
    expect(meta.sectionComments).toEqual(['section header block']);
    expect(meta.interfaces[0]!.name).toBe('en0');
    expect(recs[0]!.comments).toEqual(['a\ufffdb']);
  });

  it('copes with option lists without opt_endofopt, and with broken options', () => {
    const a = readAll(writePcapng([{ type: 'shb', comment: 'x', noEndOfOpt: true }, { type: 'idb', name: 'e', noEndOfOpt: true }, { type: 'epb', data: P1, comment: 'c', noEndOfOpt: true }]));
    expect(a.meta.warnings).toEqual([]);
    expect(a.recs[0]!.comments).toEqual(['c']);
    // An option whose length runs past the block: ignored with a warning, the packet is kept.
    const body = concatBytes([Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 4, 0, 0, 0), fakePacket(4), Uint8Array.of(1, 0, 99, 0, 0x61, 0x62, 0x63, 0x64)]);
    const b = readAll(writePcapng([{ type: 'shb' }, { type: 'idb' }, { type: 'raw', blockType: 6, body }]));
    expect(b.recs).toHaveLength(1);
    expect(b.recs[0]!.comments).toBeUndefined();
    expect(b.meta.warnings).toHaveLength(1);
    expect(b.meta.warnings[0]!.message).toMatch(/option 1 at offset \d+ runs past the end of its block/);
  });

  it('accepts version 1.2 sections but stops at any other version, keeping earlier packets', () => {
    expect(readAll(writePcapng([{ type: 'shb', versionMinor: 2 }, { type: 'idb' }, { type: 'epb', data: P1 }])).recs).toHaveLength(1);
    const first = writePcapng([{ type: 'shb' }, { type: 'idb' }, { type: 'epb', data: P1 }]);
    for (const [major, minor] of [
      [2, 0],
      [1, 1],
    ] as const) {
      const buf = concatBytes([first, writePcapng([{ type: 'shb', versionMajor: major, versionMinor: minor }, { type: 'idb' }, { type: 'epb', data: P2 }]), first]);
      const { recs, meta } = readAll(buf);
      expect(recs).toHaveLength(1);
      expect(meta.sectionCount).toBe(1);
      expect(meta.error).toEqual({
        offset: first.length,
        message: `section header block at offset ${first.length} has unsupported pcapng version ${major}.${minor} — the rest of the file cannot be read`,
      });
    }
  });

  describe('stops with meta.error at a broken block, keeping every earlier packet', () => {
    const good = writePcapng([{ type: 'shb' }, { type: 'idb', snapLen: 0 }, { type: 'epb', data: P1 }]);
    const at = good.length;
    const cases: [string, PcapngBlockSpec, string][] = [
      ['length not a multiple of 4', { type: 'raw', blockType: 6, body: fakePacket(32), totalLength: 42 }, `block at offset ${at} has a total length of 42 bytes, which is not a multiple of 4`],
      ['length < 12', { type: 'raw', blockType: 6, body: fakePacket(32), totalLength: 8 }, `block at offset ${at} has a total length of 8 bytes (less than the 12-byte minimum)`],
      ['absurd length', { type: 'raw', blockType: 6, body: fakePacket(32), totalLength: 0x7ffffff0 }, `block at offset ${at} claims 2147483632 bytes (more than 16777216), the file appears to be damaged or corrupt`],
      ['trailing length differs', { type: 'raw', blockType: 6, body: fakePacket(32), trailingLength: 48 }, `block at offset ${at}: the trailing length (48) does not match the leading length (44)`],
      ['caplen larger than the block', { type: 'epb', data: P1, capLen: 61 }, `enhanced packet block at offset ${at} claims 61 captured bytes, but the block has room for 60`],
      ['EPB too short', { type: 'raw', blockType: 6, body: fakePacket(8) }, `enhanced packet block at offset ${at} is only 20 bytes long (at least 32 needed)`],
      ['unknown interface', { type: 'epb', interfaceId: 2, data: P1 }, `enhanced packet block at offset ${at} refers to interface 2, but its section has only 1`],
      ['OPB unknown interface', { type: 'opb', interfaceId: 1, data: P1 }, `packet block at offset ${at} refers to interface 1, but its section has only 1`],
      ['bad if_tsresol', { type: 'idb', tsresol: 20 }, `interface description block at offset ${at} has an impossible if_tsresol (0x14)`],
    ];
    for (const [name, block, message] of cases) {
      it(name, () => {
        const buf = concatBytes([good, writeAfter(block), good]);
        for (const { recs, meta } of [readAll(buf), readChunked(buf, 7), readChunked(buf, 1)]) {
          expect(recs).toHaveLength(1);
          expect(meta.packetCount).toBe(1);
          expect(meta.error).toEqual({ offset: at, message: `${message} — the rest of the file cannot be read` });
        }
      });
    }

    it('a packet larger than 262144 bytes (like tshark)', () => {
      const buf = concatBytes([good, writeAfter({ type: 'epb', data: fakePacket(262145) })]);
      expect(readAll(buf).meta.error?.message).toBe(
        `enhanced packet block at offset ${at} claims 262145 captured bytes (more than 262144), the file appears to be damaged or corrupt — the rest of the file cannot be read`,
      );
      expect(readAll(concatBytes([good, writeAfter({ type: 'epb', data: fakePacket(262144) })])).recs).toHaveLength(2);
    });

    it('a simple packet block before any interface', () => {
      const buf = writePcapng([{ type: 'shb' }, { type: 'spb', data: P1 }]);
      expect(readAll(buf).meta.error?.message).toBe(
        'simple packet block at offset 28 appears before any interface description block in its section — the rest of the file cannot be read',
      );
    });

    it('a section header with a bad byte-order magic', () => {
      const shb = writePcapng([{ type: 'shb' }]);
      shb[8] = 0x12;
      const { meta } = readAll(concatBytes([good, shb]));
      expect(meta.error?.message).toBe(`section header block at offset ${at} has an unknown byte-order magic (12 3c 2b 1a) — the rest of the file cannot be read`);
    });
  });

  it('reports a truncated last block (cut short) after every whole packet', () => {
    const buf = writeSimplePcapng([{ data: P1 }, { data: P2 }, { data: P3 }]);
    const lastLen = 32 + 16;
    const lastStart = buf.length - lastLen;
    for (const cut of [1, 4, 8, 11, 12, 20, lastLen - 1]) {
      const b = buf.slice(0, lastStart + cut);
      for (const { recs, meta } of [readAll(b), readChunked(b, 3)]) {
        expect(recs).toHaveLength(2);
        expect(meta.error?.offset).toBe(lastStart);
        expect(meta.error?.message).toBe(
          'the capture file appears to have been cut short in the middle of a packet (' +
            (cut < 12
              ? `the file ends ${cut} bytes into a block header at offset ${lastStart})`
              : `the block at offset ${lastStart} claims ${lastLen} bytes, but the file ends after ${cut})`),
        );
      }
    }
  });

  it('handles blocks split across chunks at every byte boundary', () => {
    const buf = writePcapng([...everyBlock(false, 'a'), ...everyBlock(true, 'b')]);
    const whole = readAll(buf);
    const expected = whole.recs.map(plain);
    const strip = (m: typeof whole.meta) => ({ ...m, secrets: m.secrets.map((s) => Array.from(s.data)) });
    for (let at = 1; at < buf.length; at++) {
      const r = readSplit(buf, at);
      expect(r.recs.map(plain), `split at ${at}`).toEqual(expected);
      expect(strip(r.meta), `split at ${at}`).toEqual(strip(whole.meta));
    }
    expect(readChunked(buf, 1).recs.map(plain)).toEqual(expected);
    for (let seed = 1; seed <= 30; seed++) {
      expect(readChunked(buf, randomSizes(100, 300, seed)).recs.map(plain), `seed ${seed}`).toEqual(expected);
    }
  });

  it('formats IPv6 addresses like RFC 5952', () => {
    expect(formatIpv6(parseAddress('2001:db8::1'))).toBe('2001:db8::1');
    expect(formatIpv6(parseAddress('::'))).toBe('::');
    expect(formatIpv6(parseAddress('::1'))).toBe('::1');
    expect(formatIpv6(parseAddress('fe80::'))).toBe('fe80::');
    expect(formatIpv6(parseAddress('2001:db8:0:1:1:1:1:1'))).toBe('2001:db8:0:1:1:1:1:1'); // no :: for one group
    expect(formatIpv6(parseAddress('2001:0:0:1:0:0:0:1'))).toBe('2001:0:0:1::1'); // longest run
    expect(formatIpv6(parseAddress('2001:db8:0:0:1:0:0:1'))).toBe('2001:db8::1:0:0:1'); // first of equal runs
  });
});

/** Serialises one block in little-endian (the byte order of the `good` prefix in the tests). */
function writeAfter(block: PcapngBlockSpec): Uint8Array {
  const withShb = writePcapng([{ type: 'shb' }, { type: 'idb' }, block]);
  return withShb.subarray(28 + 20);
}
