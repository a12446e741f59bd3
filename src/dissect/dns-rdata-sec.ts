// RDATA of the DNS security types (RFC 2535 KEY/SIG/NXT, RFC 4034 DNSKEY/RRSIG/NSEC, RFC 5155
// NSEC3, RFC 4025 IPSECKEY, RFC 2930 TKEY, RFC 8945 TSIG). Reads follow tshark 4.0's exactly.

import { bitPattern } from './registry.ts';
import { GENERATED } from './tree.ts';
import { F, typeDescription } from './dns-fields.ts';
import { nameCString } from './dns-name.ts';
import { utcTimeText } from './text.ts';
import { bytesItem, check, ipv4Item, ipv6Item, rdName, u16Item, u32Item, u8Item, type DnsCtx } from './dns-items.ts';

/** Key tag (RFC 4034 App. B; RSA/MD5 uses the low 16 bits of the modulus, App. B.1). */
export function keyId(c: DnsCtx, off: number, size: number, algo: number): number | null {
  const { tvb } = c;
  if (size < 4) {
    if (c.t) c.t.expert('warn', 'Buffer too short to compute a key id', tvb, off, Math.max(0, size), 'Protocol');
    return null;
  }
  if (algo === 1) return ((tvb.u8(off + size - 3) << 8) + tvb.u8(off + size - 2)) & 0xffff;
  let ac = 0;
  let o = off;
  let n = size;
  for (; n > 1; n -= 2, o += 2) ac += (tvb.u8(o) << 8) + tvb.u8(o + 1);
  if (n > 0) ac += tvb.u8(o) << 8;
  ac += (ac >>> 16) & 0xffff;
  return ac & 0xffff;
}

export function key(c: DnsCtx, cur: number, len: number): void {
  const { tvb, t } = c;
  const flags = tvb.u16(cur);
  if (t) {
    t.open(F['dns.key.flags'], tvb, cur, 2, flags);
    t.add(F['dns.key.flags.authentication'], tvb, cur, 2, (flags & 0x8000) !== 0);
    t.add(F['dns.key.flags.confidentiality'], tvb, cur, 2, (flags & 0x4000) !== 0);
    if ((flags & 0xc000) !== 0xc000) {
      t.add(F['dns.key.flags.required'], tvb, cur, 2, (flags & 0x2000) !== 0);
      t.add(F['dns.key.flags.associated_user'], tvb, cur, 2, (flags & 0x0400) !== 0);
      t.add(F['dns.key.flags.associated_named_entity'], tvb, cur, 2, (flags & 0x0200) !== 0);
      t.add(F['dns.key.flags.ipsec'], tvb, cur, 2, (flags & 0x0080) !== 0);
      t.add(F['dns.key.flags.mime'], tvb, cur, 2, (flags & 0x0040) !== 0);
      t.add(F['dns.key.flags.signatory'], tvb, cur, 2, flags & 0xf);
    }
    t.close();
  }
  cur += 2;
  let rest = len - 2;
  u8Item(c, F['dns.key.protocol'], cur);
  cur++;
  rest--;
  const algo = u8Item(c, F['dns.key.algorithm'], cur);
  cur++;
  rest--;
  const id = keyId(c, cur - 4, rest + 4, algo);
  if (id !== null && t) t.add(F['dns.key.key_id'], tvb, 0, GENERATED, id, `[Key ID: ${id}]`);
  if (rest !== 0) bytesItem(c, F['dns.key.public_key'], cur, rest);
}

/** NXT type bitmap (RFC 2535 §5.2): one bit per type from 0. Walks until the length is used. */
export function nxtBitmap(c: DnsCtx, cur: number, len: number): void {
  const { tvb, t } = c;
  let type = 0;
  while (len !== 0) {
    const bits = tvb.u8(cur);
    for (let i = 0; i < 8; i++, type++) {
      if (t && bits & (0x80 >> i)) t.add(F['dns.resp.type'], tvb, cur, 1, type, `RR type in bit map: ${typeDescription(type)}`);
    }
    cur++;
    len--;
  }
}

/** NSEC/NSEC3/CSYNC type bitmap (RFC 4034 §4.1.2): window, length, bits. */
export function typeBitmap(c: DnsCtx, cur: number, len: number): void {
  const { tvb, t } = c;
  while (len !== 0) {
    const base = tvb.u8(cur);
    let size = tvb.u8(cur + 1);
    cur += 2;
    len -= 2;
    let type = base * 256;
    for (; size; size--) {
      const bits = tvb.u8(cur);
      for (let i = 0; i < 8; i++, type++) {
        if (t && bits & (0x80 >> i)) t.add(F['dns.resp.type'], tvb, cur, 1, type, `RR type in bit map: ${typeDescription(type)}`);
      }
      cur++;
      len--;
    }
  }
}

export function ipseckey(c: DnsCtx, cur: number, len: number): void {
  u8Item(c, F['dns.ipseckey.gateway_precedence'], cur);
  const gw = u8Item(c, F['dns.ipseckey.gateway_type'], cur + 1);
  u8Item(c, F['dns.ipseckey.gateway_algorithm'], cur + 2);
  cur += 3;
  let rest = len - 3;
  if (gw === 1) {
    ipv4Item(c, F['dns.ipseckey.gateway_ipv4'], cur);
    cur += 4;
    rest -= 4;
  } else if (gw === 2) {
    ipv6Item(c, F['dns.ipseckey.gateway_ipv6'], cur);
    cur += 16;
    rest -= 16;
  } else if (gw === 3) {
    const { n } = rdName(c, F['dns.ipseckey.gateway_dns'], cur);
    cur += n.used;
    rest -= n.used;
  }
  if (rest !== 0) bytesItem(c, F['dns.ipseckey.public_key'], cur, rest);
}

export function rrsig(c: DnsCtx, cur: number, len: number): void {
  const { tvb, t } = c;
  u16Item(c, F['dns.rrsig.type_covered'], cur);
  u8Item(c, F['dns.rrsig.algorithm'], cur + 2);
  u8Item(c, F['dns.rrsig.labels'], cur + 3);
  u32Item(c, F['dns.rrsig.original_ttl'], cur + 4, true);
  for (const [f, o] of [[F['dns.rrsig.signature_expiration'], cur + 8], [F['dns.rrsig.signature_inception'], cur + 12]] as const) {
    const v = tvb.u32(o);
    if (t) {
      const s = utcTimeText(v);
      t.add(f, tvb, o, 4, s, `${f.name}: ${s}`);
    }
  }
  u16Item(c, F['dns.rrsig.key_tag'], cur + 16);
  cur += 18;
  let rest = len - 18;
  const { n } = rdName(c, F['dns.rrsig.signers_name'], cur);
  cur += n.used;
  rest -= n.used;
  if (rest !== 0) bytesItem(c, F['dns.rrsig.signature'], cur, rest);
}

export function dnskey(c: DnsCtx, cur: number, len: number): void {
  const { tvb, t } = c;
  const flags = tvb.u16(cur);
  if (t) {
    t.open(F['dns.dnskey.flags'], tvb, cur, 2, flags);
    t.add(F['dns.dnskey.flags.zone_key'], tvb, cur, 2, (flags & 0x0100) !== 0);
    t.add(F['dns.dnskey.flags.key_revoked'], tvb, cur, 2, (flags & 0x0080) !== 0);
    t.add(F['dns.dnskey.flags.secure_entry_point'], tvb, cur, 2, (flags & 0x0001) !== 0);
    t.add(F['dns.dnskey.flags.reserved'], tvb, cur, 2, flags & 0xfe7e,
      bitPattern(0xfe7e, 16, flags) + `Key Signing Key: 0x${(flags & 0xfe7e).toString(16).padStart(4, '0')}`);
    t.close();
  }
  cur += 2;
  let rest = len - 2;
  u8Item(c, F['dns.dnskey.protocol'], cur);
  cur++;
  rest--;
  const algo = u8Item(c, F['dns.dnskey.algorithm'], cur);
  cur++;
  rest--;
  const id = keyId(c, cur - 4, rest + 4, algo);
  if (id !== null && t) t.add(F['dns.dnskey.key_id'], tvb, 0, GENERATED, id, `[Key id: ${id}]`);
  bytesItem(c, F['dns.dnskey.public_key'], cur, rest);
}

export function nsec3(c: DnsCtx, cur: number, len: number): void {
  const { tvb, t } = c;
  const start = cur;
  u8Item(c, F['dns.nsec3.algo'], cur);
  cur++;
  const fl = tvb.u8(cur);
  if (t) {
    t.open(F['dns.nsec3.flags'], tvb, cur, 1, fl);
    t.add(F['dns.nsec3.flags.opt_out'], tvb, cur, 1, (fl & 1) !== 0);
    t.close();
  }
  cur++;
  u16Item(c, F['dns.nsec3.iterations'], cur);
  cur += 2;
  const saltLen = u8Item(c, F['dns.nsec3.salt_length'], cur);
  cur++;
  bytesItem(c, F['dns.nsec3.salt_value'], cur, saltLen);
  cur += saltLen;
  const hashLen = u8Item(c, F['dns.nsec3.hash_length'], cur);
  cur++;
  if (hashLen) {
    // Base 32 with the extended hex alphabet (RFC 4648 §7), no padding (RFC 5155 §1.3). tshark
    // reads 5-bit groups while the group starts inside the hash, so the last one may take bits
    // of the byte after it.
    const alphabet = '0123456789abcdefghijklmnopqrstuv';
    let s = '';
    for (let bit = 0; bit >> 3 < hashLen; bit += 5) {
      const byte = bit >> 3;
      const shift = bit & 7;
      let v = tvb.u8(cur + byte) << 8;
      if (shift > 3) v |= tvb.u8(cur + byte + 1);
      s += alphabet[(v >> (11 - shift)) & 31];
    }
    if (t) t.add(F['dns.nsec3.hash_value'], tvb, cur, hashLen, s, `[Next hashed owner: ${s}]`);
    cur += hashLen;
  }
  typeBitmap(c, cur, len - (cur - start));
}

export function tkey(c: DnsCtx, cur: number): void {
  const { tvb, t } = c;
  const { n } = rdName(c, F['dns.tkey.algo_name'], cur);
  cur += n.used;
  for (const [f, o] of [[F['dns.tkey.signature_inception'], cur], [F['dns.tkey.signature_expiration'], cur + 4]] as const) {
    const v = tvb.u32(o);
    if (t) t.add(f, tvb, o, 4, utcTimeText(v), `${f.name}: ${utcTimeText(v)}`);
  }
  cur += 8;
  u16Item(c, F['dns.tkey.mode'], cur);
  cur += 2;
  u16Item(c, F['dns.tkey.error'], cur);
  cur += 2;
  const keyLen = u16Item(c, F['dns.tkey.key_size'], cur);
  cur += 2;
  if (keyLen !== 0) {
    bytesItem(c, F['dns.tkey.key_data'], cur, keyLen);
    cur += keyLen;
  }
  const otherLen = u16Item(c, F['dns.tkey.other_size'], cur);
  cur += 2;
  if (otherLen !== 0) bytesItem(c, F['dns.tkey.other_data'], cur, otherLen);
}

/** TSIG (RFC 8945 §4.2). */
export function tsig(c: DnsCtx, cur: number): void {
  const { tvb, t } = c;
  const { n } = rdName(c, F['dns.tsig.algorithm_name'], cur);
  cur += n.used;
  check(tvb, cur, 6);
  const high = tvb.u16(cur);
  if (t) {
    const secs = high * 2 ** 32 + tvb.u32(cur + 2);
    const s = utcTimeText(secs);
    t.add(F['dns.tsig.time_signed'], tvb, cur, 6, s, `Time Signed: ${s}${high ? ' (high bits set)' : ''}`);
  }
  cur += 6;
  u16Item(c, F['dns.tsig.fudge'], cur);
  cur += 2;
  const macLen = u16Item(c, F['dns.tsig.mac_size'], cur);
  cur += 2;
  if (macLen !== 0) {
    check(tvb, cur, macLen);
    if (t) {
      t.open(F['dns.tsig.mac'], tvb, cur, macLen, null, 'MAC');
      t.expert('warn', `No dissector for algorithm:${nameCString(n)}`, tvb, cur, macLen, 'Undecoded');
      t.close();
    }
    cur += macLen;
  }
  u16Item(c, F['dns.tsig.original_id'], cur);
  u16Item(c, F['dns.tsig.error'], cur + 2);
  const otherLen = u16Item(c, F['dns.tsig.other_len'], cur + 4);
  cur += 6;
  if (otherLen !== 0) bytesItem(c, F['dns.tsig.other_data'], cur, otherLen);
}
