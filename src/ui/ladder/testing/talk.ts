// Test-only: writes TCP conversations packet by packet with sequence and acknowledgement
// numbers kept for you (SYN and FIN count one), for ladder tests and e2e captures.
//
//   const t = new TcpTalk({ client: ['192.0.2.10', 40002], server: ['198.51.100.80', 81], t0 });
//   t.syn(); t.rst(false);            // a refused connection
//   writePcap(t.packets)
//
// Not used by the app; never import it from production code.

import type { TestPacket } from '../../../capture/testing/writer.ts';
import { ACK, eth, FIN, ipv4, mss, PSH, RST, SYN, tcp } from '../../../dissect/testing/packets.ts';

export interface TalkOptions {
  client: [string, number];
  server: [string, number];
  /** Seconds since the epoch (float) of the first packet. */
  t0: number;
  /** Seconds between packets (default 0.0002). */
  step?: number;
  clientIsn?: number;
  serverIsn?: number;
}

export class TcpTalk {
  readonly packets: TestPacket[] = [];
  private seq: [number, number];
  private t: number;
  private readonly step: number;

  constructor(private readonly o: TalkOptions) {
    this.seq = [o.clientIsn ?? 1000, o.serverIsn ?? 5000];
    this.t = o.t0;
    this.step = o.step ?? 0.0002;
  }

  /** Current time (seconds since the epoch) of the next packet. */
  get time(): number {
    return this.t;
  }

  /** Moves the clock by `dt` seconds before the next packet. */
  wait(dt: number): this {
    this.t += dt;
    return this;
  }

  send(fromClient: boolean, flags: number, payload: Uint8Array | string = '', win = 64240): this {
    const me = fromClient ? 0 : 1;
    const [srcIp, sport] = fromClient ? this.o.client : this.o.server;
    const [dstIp, dport] = fromClient ? this.o.server : this.o.client;
    const len = typeof payload === 'string' ? new TextEncoder().encode(payload).length : payload.length;
    const seg = tcp({
      sport,
      dport,
      flags,
      seq: this.seq[me],
      ack: flags & ACK ? this.seq[1 - me]! : 0,
      win,
      payload,
      options: flags & SYN ? [...mss(1460)] : [],
    });
    const data = eth(ipv4(seg, { src: srcIp, dst: dstIp, proto: 6 }), fromClient ? { src: '02:00:00:00:00:01', dst: '02:00:00:00:00:02' } : { src: '02:00:00:00:00:02', dst: '02:00:00:00:00:01' });
    const sec = Math.floor(this.t);
    this.packets.push({ data, tsSec: sec, tsNsec: Math.round((this.t - sec) * 1e6) * 1000 });
    this.seq[me] = (this.seq[me]! + len + (flags & (SYN | FIN) ? 1 : 0)) >>> 0;
    this.t += this.step;
    return this;
  }

  /** SYN, SYN-ACK, ACK. */
  handshake(): this {
    return this.send(true, SYN).send(false, SYN | ACK).send(true, ACK);
  }

  syn(): this {
    return this.send(true, SYN);
  }

  data(fromClient: boolean, payload: Uint8Array | string): this {
    return this.send(fromClient, PSH | ACK, payload);
  }

  ack(fromClient: boolean): this {
    return this.send(fromClient, ACK);
  }

  /** FIN from one side, FIN from the other, last ACK. */
  close(clientFirst = true): this {
    return this.send(clientFirst, FIN | ACK).send(!clientFirst, FIN | ACK).send(clientFirst, ACK);
  }

  rst(fromClient: boolean): this {
    return this.send(fromClient, RST | ACK, '', 0);
  }
}

/**
 * One long TCP session: handshake, a request, `segments` data segments from the server (an ACK
 * from the client every second one), and a FIN teardown. Port 9000: no protocol claims it.
 */
export function bulkSession(segments: number, o: Partial<TalkOptions> = {}): TestPacket[] {
  const t = new TcpTalk({ client: ['192.0.2.20', 50500], server: ['203.0.113.9', 9000], t0: 1_700_000_100, step: 0.00005, ...o });
  t.handshake().data(true, 'FETCH big.bin\n');
  const chunk = new Uint8Array(1400).fill(0x42);
  for (let i = 0; i < segments; i++) {
    t.send(false, ACK, chunk);
    if (i % 2 === 1) t.ack(true);
  }
  t.close(false);
  return t.packets;
}
