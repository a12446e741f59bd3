// Test-only captures for the sessions panel and ladder tests (unit and e2e): a refused
// connection, a bulk download, a 10,000-packet session. Never import from production code.

import { writePcap, type TestPacket } from '../../../capture/testing/writer.ts';
import { bulkSession, TcpTalk } from './talk.ts';

export { bulkSession, TcpTalk };

const T0 = 1_700_000_000;

/** A connection refused with RST (SYN, RST/ACK): 192.0.2.10:40002 → 198.51.100.80:81. */
export function refusedPackets(t0 = T0 + 0.1): TestPacket[] {
  const t = new TcpTalk({ client: ['192.0.2.10', 40002], server: ['198.51.100.80', 81], t0 });
  return t.syn().rst(false).packets;
}

/** Several packet lists merged in time order (stable). */
export function merge(...lists: TestPacket[][]): TestPacket[] {
  const all = lists.flat();
  return all
    .map((p, i) => ({ p, i }))
    .sort((a, b) => (a.p.tsSec ?? 0) - (b.p.tsSec ?? 0) || (a.p.tsNsec ?? 0) - (b.p.tsNsec ?? 0) || a.i - b.i)
    .map((x) => x.p);
}

/**
 * One TCP session (a bulk download) of about `count` packets: 3 (handshake) + 1 (request) +
 * s data segments + ⌊s / 2⌋ ACKs + 3 (teardown); exactly `count` when that sum can make it
 * (10,000 can: s = 6,662).
 */
export function sessionOfCount(count: number, t0 = T0 + 0.2): TestPacket[] {
  let s = 0;
  while (7 + s + 1 + Math.floor((s + 1) / 2) <= count) s++;
  return bulkSession(s, { t0 });
}

export function pcap(packets: TestPacket[]): Uint8Array {
  return writePcap(packets);
}
