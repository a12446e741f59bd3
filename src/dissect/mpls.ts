// MPLS (RFC 3032), EtherType 0x8847 (unicast) and 0x8848 (multicast), and in GRE: a stack of
// 4-byte label entries — label, traffic class ("Exp"), bottom-of-stack bit, TTL — then the
// packet. What it is is not said anywhere (RFC 3032 §2.2 leaves it to the label's meaning), so,
// as tshark does by default, the first nibble decides: 4 is IPv4, 6 is IPv6. tshark also guesses
// Ethernet pseudowires (a control word, RFC 4385, or a bare frame); we show those as data.

import { etherTypeTable } from './tables.ts';
import { dissectIpv4 } from './ip.ts';
import { dissectIpv6Header } from './ipv6.ts';
import type { Packet } from './packet.ts';
import { bitPattern, defineProtocol } from './registry.ts';
import type { Tvb } from './tvb.ts';
import { dissectData } from './data.ts';

// Reserved label values (RFC 3032 §2.1, RFC 6790, RFC 5586), as Wireshark names them.
const SPECIAL_LABELS: Record<number, string> = {
  0: 'IPv4 Explicit-Null', 1: 'Router Alert', 2: 'IPv6 Explicit-Null', 3: 'Implicit-Null', 7: 'Entropy Label Indicator (ELI)',
  13: 'Generic Associated Channel Label (GAL)', 14: 'OAM Alert',
};
const MAX_RESERVED_LABEL = 15;

export const F = defineProtocol('mpls', 'MultiProtocol Label Switching Header', {
  'mpls.label': { name: 'MPLS Label', type: 'uint', base: 'dec_hex', mask: 0xfffff000, bits: 32 },
  'mpls.exp': { name: 'MPLS Experimental Bits', type: 'uint', mask: 0x00000e00, bits: 32 },
  'mpls.bottom': { name: 'MPLS Bottom Of Label Stack', type: 'uint', mask: 0x00000100, bits: 32 },
  'mpls.ttl': { name: 'MPLS TTL', type: 'uint', mask: 0x000000ff, bits: 32 },
});

export function dissectMpls(tvb: Tvb, p: Packet): void {
  p.cols.protocol = 'MPLS';
  p.cols.setInfo('MPLS Label Switched Packet');
  const t = p.tree;
  let off = 0;
  while (tvb.reportedRemaining(off) > 0) {
    p.layers.push('mpls');
    const entry = tvb.u32(off);
    const label = entry >>> 12;
    const exp = (entry >>> 9) & 7;
    const bottom = (entry >>> 8) & 1;
    const ttl = entry & 0xff;
    if (t) {
      const special = label <= MAX_RESERVED_LABEL ? ` (${SPECIAL_LABELS[label] ?? 'Reserved - Unknown'})` : '';
      t.open(F.proto, tvb, off, 4, null, `MultiProtocol Label Switching Header, Label: ${label}${special}, Exp: ${exp}, S: ${bottom}, TTL: ${ttl}`);
      if (label <= MAX_RESERVED_LABEL) {
        t.add(F['mpls.label'], tvb, off, 4, label, `${bitPattern(0xfffff000, 32, entry)}MPLS Label: ${SPECIAL_LABELS[label] ?? 'Reserved - Unknown'} (${label})`);
      } else t.add(F['mpls.label'], tvb, off, 4, label);
      t.add(F['mpls.exp'], tvb, off, 4, exp);
      t.add(F['mpls.bottom'], tvb, off, 4, bottom);
      t.add(F['mpls.ttl'], tvb, off, 4, ttl);
      t.close();
    }
    off += 4;
    if (bottom) break;
  }
  const payload = tvb.sub(off);
  const nibble = tvb.u8(off) >> 4;
  if (nibble === 4) dissectIpv4(payload, p);
  else if (nibble === 6) dissectIpv6Header(payload, p);
  else dissectData(payload, p);
}

etherTypeTable.add(0x8847, dissectMpls); // MPLS unicast
etherTypeTable.add(0x8848, dissectMpls); // MPLS multicast
