// DNS questions and resource records (RFC 1035 §4.1.2, §4.1.3): the parts every record has.
// The RDATA of each type is in dns-rdata.ts.

import { bitPattern, type FieldDef } from './registry.ts';
import { GENERATED } from './tree.ts';
import { F, typeName } from './dns-fields.ts';
import { nameText, readName, type DnsName } from './dns-name.ts';
import { durationText } from './text.ts';
import { className, close, openText, valueLabel, type DnsCtx } from './dns-items.ts';
import { rdata, T } from './dns-rdata.ts';

export type { DnsCtx };

// ---- questions ----------------------------------------------------------------------------

/** One question (RFC 1035 §4.1.2); returns the bytes it used. */
export function dissectQuestion(c: DnsCtx, off: number): number {
  const { tvb, t } = c;
  const n = readName(tvb, off, c.dataOff);
  const type = tvb.u16(off + n.used);
  let cls = tvb.u16(off + n.used + 2);
  const used = n.used + 4;
  // RFC 6762 §5.4: the top bit of an mDNS question's class asks for a unicast reply.
  let qu = 0;
  if (c.mdns) {
    qu = cls & 0x8000;
    cls &= 0x7fff;
  }
  if (type === T.AXFR || type === T.IXFR) c.multiple = true;
  const tn = typeName(type);
  const text = nameText(n);
  c.info += ` ${tn} ${text}`;
  if (c.mdns) c.info += qu ? ', "QU" question' : ', "QM" question';
  if (t) {
    openText(c, off, used, `${text}: type ${tn}, class ${className(cls)}${c.mdns ? (qu ? ', "QU" question' : ', "QM" question') : ''}`);
    t.add(F['dns.qry.name'], tvb, off, n.used, text);
    const nl = n.len > 1 ? n.len : 0;
    t.add(F['dns.qry.name.len'], tvb, off, GENERATED, nl, `[Name Length: ${nl}]`);
    const labels = labelCount(n);
    t.add(F['dns.count.labels'], tvb, off, GENERATED, labels, `[Label Count: ${labels}]`);
    const toff = off + n.used;
    t.add(F['dns.qry.type'], tvb, toff, 2, type, valueLabel(F['dns.qry.type'], type));
    if (c.mdns) {
      t.add(F['dns.qry.class'], tvb, toff + 2, 2, cls, bitPattern(0x7fff, 16, cls) + valueLabel(F['dns.qry.class'], cls));
      t.add(F['dns.qry.qu'], tvb, toff + 2, 2, qu !== 0);
    } else {
      t.add(F['dns.qry.class'], tvb, toff + 2, 2, cls, valueLabel(F['dns.qry.class'], cls));
    }
    close(c);
  }
  return used;
}

/** Dots + 1 over the name text (tshark's label count; 0 for a one-character name). */
function labelCount(n: DnsName): number {
  if (n.len <= 1) return 0;
  let k = 1;
  for (let i = 0; i < n.len; i++) if (n.raw.charCodeAt(i) === 0x2e) k++;
  return k;
}

// ---- resource records ---------------------------------------------------------------------

/** One resource record (RFC 1035 §4.1.3); returns the bytes it used (name + 10 + RDLENGTH). */
export function dissectRecord(c: DnsCtx, off: number): number {
  const { tvb, t } = c;
  const n = readName(tvb, off, c.dataOff);
  const type = tvb.u16(off + n.used);
  let cls = tvb.u16(off + n.used + 2);
  const rawCls = cls;
  // RFC 6762 §10.2: the top bit of an mDNS record's class is the cache-flush bit.
  let flush = 0;
  if (c.mdns) {
    flush = cls & 0x8000;
    cls &= 0x7fff;
  }
  const tn = typeName(type);
  const dlOff = off + n.used + 8;
  const dataLen = tvb.u16(dlOff);
  const data = dlOff + 2;
  c.info += ` ${tn}`;
  if (flush) c.info += ', cache flush';
  // tshark (with a tree, as in the GUI and in -V/-T fields output) adds the record's subtree
  // over name + fixed part + RDATA, which requires all of those bytes: a record whose RDLENGTH
  // runs past the data is malformed right after its type was added to Info.
  const total = data - off + dataLen;
  tvb.check(off, total);
  let ownerText = '';
  if (t) {
    ownerText = nameText(n);
    if (type !== T.OPT) {
      openText(c, off, total, `${ownerText}: type ${tn}, class ${className(cls)}`);
      recordHeader(c, off, n, ownerText, type, rawCls);
    } else {
      openText(c, off, total, `${ownerText}: type ${tn}`);
      optHeader(c, off, n, ownerText, rawCls);
    }
    if (flush) t.appendLabel(', cache flush');
  }
  if (dataLen !== 0) {
    rdata(c, type, data, dataLen, n);
  }
  if (t) close(c);
  return data - off + dataLen;
}

function recordHeader(c: DnsCtx, off: number, n: DnsName, ownerText: string, type: number, rawCls: number): void {
  const { tvb, t } = c;
  if (!t) return;
  if (type === T.SRV && ownerText.length) {
    // An SRV owner is _service._proto.name (RFC 2782).
    const parts = ownerText.split('.');
    t.add(F['dns.srv.service'], tvb, off, n.used, parts[0]!);
    if (parts.length > 1) {
      t.add(F['dns.srv.proto'], tvb, off, n.used, parts[1]!);
      if (parts.length > 2) t.add(F['dns.srv.name'], tvb, off, n.used, parts.slice(2).join('.'));
    }
  } else t.add(F['dns.resp.name'], tvb, off, n.used, ownerText);
  let p = off + n.used;
  t.add(F['dns.resp.type'], tvb, p, 2, type, valueLabel(F['dns.resp.type'], type));
  p += 2;
  classItems(c, p, rawCls, F['dns.resp.class']);
  p += 2;
  const ttl = tvb.u32(p);
  const ttlLabel = `${F['dns.resp.ttl'].name}: ${ttl} (${durationText(ttl)})`;
  if (ttl & 0x80000000) {
    t.open(F['dns.resp.ttl'], tvb, p, 4, ttl, ttlLabel);
    t.expert('warn', 'The uppermost bit of the TTL is set (RFC 2181, section 8)', tvb, p, 4, 'Protocol');
    t.close();
  } else t.add(F['dns.resp.ttl'], tvb, p, 4, ttl, ttlLabel);
  p += 4;
  t.add(F['dns.resp.len'], tvb, p, 2, tvb.u16(p));
}

function classItems(c: DnsCtx, p: number, rawCls: number, f: FieldDef): void {
  const { tvb, t } = c;
  if (c.mdns) {
    const cls = rawCls & 0x7fff;
    t!.add(f, tvb, p, 2, cls, bitPattern(0x7fff, 16, rawCls) + valueLabel(f, cls));
    t!.add(F['dns.resp.cache_flush'], tvb, p, 2, (rawCls & 0x8000) !== 0);
  } else t!.add(f, tvb, p, 2, rawCls, valueLabel(f, rawCls));
}

/** The fixed part of an OPT pseudo-RR (RFC 6891 §6.1.2): class = UDP size, TTL = flags. */
function optHeader(c: DnsCtx, off: number, n: DnsName, ownerText: string, rawCls: number): void {
  const { tvb, t } = c;
  if (!t) return;
  t.add(F['dns.resp.name'], tvb, off, n.used, ownerText);
  let p = off + n.used;
  t.add(F['dns.resp.type'], tvb, p, 2, T.OPT, valueLabel(F['dns.resp.type'], T.OPT));
  p += 2;
  if (c.mdns) {
    const size = rawCls & 0x7fff;
    t.add(F['dns.rr.udp_payload_size'], tvb, p, 2, size, bitPattern(0x7fff, 16, rawCls) + `UDP payload size: 0x${size.toString(16).padStart(4, '0')}`);
    t.add(F['dns.resp.cache_flush'], tvb, p, 2, (rawCls & 0x8000) !== 0);
  } else {
    t.add(F['dns.rr.udp_payload_size'], tvb, p, 2, rawCls, `UDP payload size: ${rawCls}`);
  }
  p += 2;
  t.add(F['dns.resp.ext_rcode'], tvb, p, 1, tvb.u8(p));
  t.add(F['dns.resp.edns0_version'], tvb, p + 1, 1, tvb.u8(p + 1));
  const z = tvb.u16(p + 2);
  t.open(F['dns.resp.z'], tvb, p + 2, 2, z);
  t.add(F['dns.resp.z.do'], tvb, p + 2, 2, (z & 0x8000) !== 0);
  t.add(F['dns.resp.z.reserved'], tvb, p + 2, 2, z & 0x7fff, bitPattern(0x7fff, 16, z) + `Reserved: 0x${(z & 0x7fff).toString(16).padStart(4, '0')}`);
  t.close();
  t.add(F['dns.resp.len'], tvb, p + 4, 2, tvb.u16(p + 4));
}

