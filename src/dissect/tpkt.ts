// TPKT, "ISO transport services on top of the TCP" (RFC 1006 §6, updated by RFC 2126), on TCP
// port 102 as tshark 4.0 hands it on: a 4-byte header (version 3, a reserved byte, the length of
// the whole packet) in front of each ISO 8073 transport PDU (cotp.ts). Siemens S7 PLCs and
// IEC 61850 MMS speak it, which is why ICS captures are full of it.
//
// As tshark does with reassembly on: the Info column is left to COTP (TPKT only names itself
// in the Protocol column), a TPKT packet split over segments is put back together first, and a
// segment that does not start with version 3 is "Continuation" data.

import { reportPduException } from './frame.ts';
import { ONE_MORE_SEGMENT, type Packet } from './packet.ts';
import { defineProtocol } from './registry.ts';
import { tcpPortTable } from './tables.ts';
import { CapturedBoundsError, MalformedError, type Tvb } from './tvb.ts';
import { dissectCotp } from './cotp.ts';

const F = defineProtocol('tpkt', 'TPKT - ISO on TCP - RFC1006', {
  'tpkt.version': { name: 'Version', type: 'uint' },
  'tpkt.reserved': { name: 'Reserved', type: 'uint' },
  'tpkt.length': { name: 'Length', type: 'uint' },
  'tpkt.continuation_data': { name: 'Continuation data', type: 'bytes' },
});

const TPKT_VERSION = 3;
const HEADER_LEN = 4;

function dissectTpkt(tvb: Tvb, p: Packet): boolean {
  const t = p.tree;
  // Reassembly only works on whole captured segments.
  const canDesegment = p.canDesegment && tvb.length === tvb.reportedLength;
  p.cols.setInfo('');
  let off = 0;
  while (tvb.reportedRemaining(off) > 0) {
    if (tvb.u8(off) !== TPKT_VERSION) {
      // Not a header: the middle of a packet we did not see start (RFC 1006 §6 has no resync).
      p.layers.push('tpkt');
      p.cols.protocol = 'TPKT';
      p.cols.setInfo('Continuation');
      if (t) {
        t.open(F.proto, tvb, off, tvb.reportedRemaining(off), null);
        t.add(F['tpkt.continuation_data'], tvb, off, tvb.reportedRemaining(off), tvb.bytes(off, tvb.remaining(off)));
        t.close();
      }
      return true;
    }
    const avail = tvb.remaining(off);
    if (canDesegment && avail < HEADER_LEN) {
      p.desegmentOffset = off;
      p.desegmentLen = ONE_MORE_SEGMENT;
      return true;
    }
    const packetLen = tvb.u16(off + 2);
    if (canDesegment && avail < packetLen) {
      p.desegmentOffset = off;
      p.desegmentLen = packetLen - avail;
      return true;
    }
    p.layers.push('tpkt');
    p.cols.protocol = 'TPKT';
    if (t) {
      t.open(F.proto, tvb, off, HEADER_LEN, null, `TPKT, Version: ${TPKT_VERSION}, Length: ${packetLen}`);
      t.add(F['tpkt.version'], tvb, off, 1, TPKT_VERSION);
      t.add(F['tpkt.reserved'], tvb, off + 1, 1, tvb.u8(off + 1));
      t.add(F['tpkt.length'], tvb, off + 2, 2, packetLen);
      t.close();
    }
    // The length counts the header itself (RFC 1006 §6): less than 4 cannot be walked past.
    if (packetLen < HEADER_LEN) throw new MalformedError(`TPKT length ${packetLen} is shorter than its header`);
    const pdu = tvb.sub(off + HEADER_LEN, packetLen - HEADER_LEN);
    try {
      dissectCotp(pdu, p);
    } catch (e) {
      if (!(e instanceof MalformedError) && !(e instanceof CapturedBoundsError)) throw e;
      // One bad transport PDU does not spoil the next ones of the segment.
      reportPduException(p, pdu, 'COTP', e);
    }
    off += HEADER_LEN + pdu.reportedLength;
  }
  return true;
}

tcpPortTable.add(102, dissectTpkt); // RFC 1006 §5: ISO-TSAP
