// RDATA of each resource-record type tshark 4.0 decodes (RFC 1035 §3.3 and the RFCs named at
// each type). The reads follow tshark's exactly, including where it reads past a short RDLENGTH
// into the next record: where a broken record throws decides what the Info column keeps.

import { hostNames } from './hosts.ts';
import { hexBytes, ipv4ToString, ipv6ToString, type FieldDef } from './registry.ts';
import { GENERATED } from './tree.ts';
import { extErrorName, F, OPT_CODES, SVC_PARAM_KEYS } from './dns-fields.ts';
import { nameCString, nameText, readName, type DnsName } from './dns-name.ts';
import { formatText } from './text.ts';
import {
  bit0Item, bytesItem, check, close, ipv4Item, ipv6Item, label, nameItem, open, rdName, strItem, stringAt, u16Item,
  u32Item, u8Item, utf8At, valueLabel, type DnsCtx,
} from './dns-items.ts';
import { dnskey, ipseckey, key, nsec3, nxtBitmap, rrsig, tkey, tsig, typeBitmap } from './dns-rdata-sec.ts';

/** RR types (RFC 1035 §3.2.2 and later RFCs). */
export const T = {
  A: 1, NS: 2, MD: 3, MF: 4, CNAME: 5, SOA: 6, MB: 7, MG: 8, MR: 9, NULL: 10, WKS: 11, PTR: 12, HINFO: 13,
  MINFO: 14, MX: 15, TXT: 16, RP: 17, AFSDB: 18, X25: 19, ISDN: 20, RT: 21, NSAP: 22, NSAP_PTR: 23, SIG: 24,
  KEY: 25, PX: 26, GPOS: 27, AAAA: 28, LOC: 29, NXT: 30, SRV: 33, NAPTR: 35, KX: 36, CERT: 37, A6: 38,
  DNAME: 39, OPT: 41, APL: 42, DS: 43, SSHFP: 44, IPSECKEY: 45, RRSIG: 46, NSEC: 47, DNSKEY: 48, DHCID: 49,
  NSEC3: 50, NSEC3PARAM: 51, TLSA: 52, HIP: 55, CDS: 59, CDNSKEY: 60, OPENPGPKEY: 61, CSYNC: 62, ZONEMD: 63,
  SVCB: 64, HTTPS: 65, SPF: 99, NID: 104, L32: 105, L64: 106, LP: 107, EUI48: 108, EUI64: 109, TKEY: 249,
  TSIG: 250, IXFR: 251, AXFR: 252, CAA: 257, DLV: 32769, WINS: 65281, WINS_R: 65282, XPF: 65422,
} as const;

/** RDATA by type. `cur` is the first RDATA byte, `len` RDLENGTH (> 0), `owner` the owner name. */
export function rdata(c: DnsCtx, type: number, cur: number, len: number, owner: DnsName): void {
  const { tvb, t } = c;
  switch (type) {
    case T.A: {
      const a = ipv4ToString(ipv4Item(c, F['dns.a'], cur));
      if (!c.p.visited) hostNames.of(c.p.state).add(a, owner.raw.slice(0, owner.len));
      c.info += ` ${a}`;
      label(c, `, addr ${a}`);
      return;
    }
    case T.NS: {
      const { text } = rdName(c, F['dns.ns'], cur);
      c.info += ` ${text}`;
      label(c, `, ns ${text}`);
      return;
    }
    case T.MD:
    case T.MF:
    case T.MB:
    case T.MG:
    case T.MR: {
      c.info += ` ${nameCString(owner)}`;
      const f = type === T.MD ? F['dns.md'] : type === T.MF ? F['dns.mf'] : type === T.MB ? F['dns.mb'] : type === T.MG ? F['dns.mg'] : F['dns.mr'];
      rdName(c, f, cur);
      return;
    }
    case T.CNAME: {
      const { text } = rdName(c, F['dns.cname'], cur);
      c.info += ` ${text}`;
      label(c, `, cname ${text}`);
      return;
    }
    case T.SOA: {
      const m = readName(tvb, cur, c.dataOff);
      const mt = nameText(m);
      c.info += ` ${mt}`;
      label(c, `, mname ${mt}`);
      nameItem(c, F['dns.soa.mname'], cur, m, mt);
      cur += m.used;
      const r = rdName(c, F['dns.soa.rname'], cur);
      cur += r.n.used;
      u32Item(c, F['dns.soa.serial_number'], cur);
      cur += 4;
      u32Item(c, F['dns.soa.refresh_interval'], cur, true);
      u32Item(c, F['dns.soa.retry_interval'], cur + 4, true);
      u32Item(c, F['dns.soa.expire_limit'], cur + 8, true);
      u32Item(c, F['dns.soa.minimum_ttl'], cur + 12, true);
      return;
    }
    case T.NULL:
      c.info += ` ${nameCString(owner)}`;
      bytesItem(c, F['dns.null'], cur, len);
      return;
    case T.WKS:
      return wks(c, cur, len);
    case T.PTR: {
      const { text } = rdName(c, F['dns.ptr.domain_name'], cur);
      c.info += ` ${text}`;
      label(c, `, ${text}`);
      return;
    }
    case T.HINFO: {
      const cpuLen = tvb.u8(cur);
      const cpu = stringAt(tvb, cur + 1, cpuLen);
      const osOff = cur + 1 + cpuLen;
      const osLen = tvb.u8(osOff);
      const os = stringAt(tvb, osOff + 1, osLen);
      c.info += ` ${cpu} ${os}`;
      label(c, `, CPU ${cpu}, OS ${os}`);
      if (t) {
        t.add(F['dns.hinfo.cpu_length'], tvb, cur, 1, cpuLen);
        t.add(F['dns.hinfo.cpu'], tvb, cur + 1, cpuLen, cpu, `CPU: ${formatText(cpu)}`);
        t.add(F['dns.hinfo.os_length'], tvb, osOff, 1, osLen);
        t.add(F['dns.hinfo.os'], tvb, osOff + 1, osLen, os, `OS: ${formatText(os)}`);
      }
      return;
    }
    case T.MINFO: {
      c.info += ` ${nameCString(owner)}`;
      const r = rdName(c, F['dns.minfo.r'], cur);
      rdName(c, F['dns.minfo.e'], cur + r.n.used);
      return;
    }
    case T.MX: {
      const pref = tvb.u16(cur);
      const m = readName(tvb, cur + 2, c.dataOff);
      const text = nameText(m);
      c.info += ` ${pref} ${text}`;
      label(c, `, preference ${pref}, mx ${text}`);
      if (t) t.add(F['dns.mx.preference'], tvb, cur, 2, pref);
      nameItem(c, F['dns.mx.mail_exchange'], cur + 2, m, text);
      return;
    }
    case T.TXT:
    case T.SPF:
      return characterStrings(c, cur, len, type === T.TXT ? F['dns.txt.length'] : F['dns.spf.length'], type === T.TXT ? F['dns.txt'] : F['dns.spf'], type === T.TXT && c.mdns);
    case T.RP: {
      c.info += ` ${nameCString(owner)}`;
      const m = rdName(c, F['dns.rp.mailbox'], cur);
      rdName(c, F['dns.rp.txt_rr'], cur + m.n.used);
      return;
    }
    case T.AFSDB:
    case T.RT: {
      c.info += ` ${nameCString(owner)}`;
      const h = readName(tvb, cur + 2, c.dataOff);
      u16Item(c, type === T.AFSDB ? F['dns.afsdb.subtype'] : F['dns.rt.subtype'], cur);
      nameItem(c, type === T.AFSDB ? F['dns.afsdb.hostname'] : F['dns.rt.intermediate_host'], cur + 2, h, nameText(h));
      return;
    }
    case T.X25: {
      c.info += ` ${nameCString(owner)}`;
      const l = u8Item(c, F['dns.x25.length'], cur);
      strItem(c, F['dns.x25.psdn_address'], cur + 1, l);
      return;
    }
    case T.ISDN: {
      c.info += ` ${nameCString(owner)}`;
      const l = u8Item(c, F['dns.idsn.length'], cur);
      cur++;
      let rest = len - 1;
      strItem(c, F['dns.idsn.address'], cur, l);
      cur += l;
      rest -= l;
      if (rest > 1) {
        const sl = u8Item(c, F['dns.idsn.sa.length'], cur);
        strItem(c, F['dns.idsn.sa.address'], cur + 1, sl);
      }
      return;
    }
    case T.NSAP:
      c.info += ` ${nameCString(owner)}`;
      bytesItem(c, F['dns.nsap.rdata'], cur, len);
      return;
    case T.NSAP_PTR:
      c.info += ` ${nameCString(owner)}`;
      rdName(c, F['dns.nsap_ptr.owner'], cur);
      return;
    case T.KEY:
      return key(c, cur, len);
    case T.PX: {
      c.info += ` ${nameCString(owner)}`;
      u16Item(c, F['dns.px.preference'], cur);
      const a = rdName(c, F['dns.px.map822'], cur + 2);
      rdName(c, F['dns.px.map400'], cur + 2 + a.n.used);
      return;
    }
    case T.GPOS: {
      c.info += ` ${nameCString(owner)}`;
      let l = u8Item(c, F['dns.gpos.longitude_length'], cur);
      strItem(c, F['dns.gpos.longitude'], cur + 1, l);
      cur += 1 + l;
      l = u8Item(c, F['dns.gpos.latitude_length'], cur);
      strItem(c, F['dns.gpos.latitude'], cur + 1, l);
      cur += 1 + l;
      l = u8Item(c, F['dns.gpos.altitude_length'], cur);
      strItem(c, F['dns.gpos.altitude'], cur + 1, l);
      return;
    }
    case T.AAAA: {
      const a = ipv6ToString(ipv6Item(c, F['dns.aaaa'], cur));
      if (!c.p.visited) hostNames.of(c.p.state).add(a, owner.raw.slice(0, owner.len));
      c.info += ` ${a}`;
      label(c, `, addr ${a}`);
      return;
    }
    case T.LOC:
      return loc(c, cur, len);
    case T.NXT: {
      const { n, text } = rdName(c, F['dns.nxt.next_domain_name'], cur);
      c.info += ` ${text}`;
      label(c, `, next domain name ${text}`);
      nxtBitmap(c, cur + n.used, len - n.used);
      return;
    }
    case T.SRV: {
      const prio = u16Item(c, F['dns.srv.priority'], cur);
      const weight = u16Item(c, F['dns.srv.weight'], cur + 2);
      const port = u16Item(c, F['dns.srv.port'], cur + 4);
      const { text } = rdName(c, F['dns.srv.target'], cur + 6);
      c.info += ` ${prio} ${weight} ${port} ${text}`;
      label(c, `, priority ${prio}, weight ${weight}, port ${port}, target ${text}`);
      return;
    }
    case T.NAPTR:
      return naptr(c, cur);
    case T.KX: {
      const k = readName(tvb, cur + 2, c.dataOff);
      const text = nameText(k);
      const pref = tvb.u16(cur);
      c.info += ` ${pref} ${text}`;
      label(c, `, preference ${pref}, kx ${text}`);
      u16Item(c, F['dns.kx.preference'], cur);
      nameItem(c, F['dns.kx.key_exchange'], cur + 2, k, text);
      return;
    }
    case T.CERT: {
      u16Item(c, F['dns.cert.type'], cur);
      u16Item(c, F['dns.cert.key_tag'], cur + 2);
      u8Item(c, F['dns.cert.algorithm'], cur + 4);
      if (len - 5 !== 0) bytesItem(c, F['dns.cert.certificate'], cur + 5, len - 5);
      return;
    }
    case T.A6:
      return a6(c, cur);
    case T.DNAME: {
      const { text } = rdName(c, F['dns.dname'], cur);
      c.info += ` ${text}`;
      label(c, `, dname ${text}`);
      return;
    }
    case T.OPT:
      return opt(c, cur, len);
    case T.APL:
      c.info += ` ${nameCString(owner)}`;
      return apl(c, cur, len);
    case T.DS:
    case T.CDS:
    case T.DLV:
      u16Item(c, F['dns.ds.key_id'], cur);
      u8Item(c, F['dns.ds.algorithm'], cur + 2);
      u8Item(c, F['dns.ds.digest_type'], cur + 3);
      bytesItem(c, F['dns.ds.digest'], cur + 4, len - 4);
      return;
    case T.SSHFP:
      u8Item(c, F['dns.sshfp.algorithm'], cur);
      u8Item(c, F['dns.sshfp.fingerprint.type'], cur + 1);
      if (len - 2 !== 0) bytesItem(c, F['dns.sshfp.fingerprint'], cur + 2, len - 2);
      return;
    case T.IPSECKEY:
      return ipseckey(c, cur, len);
    case T.RRSIG:
    case T.SIG:
      return rrsig(c, cur, len);
    case T.NSEC: {
      const { n, text } = rdName(c, F['dns.nsec.next_domain_name'], cur);
      c.info += ` ${text}`;
      label(c, `, next domain name ${text}`);
      typeBitmap(c, cur + n.used, len - n.used);
      return;
    }
    case T.DNSKEY:
    case T.CDNSKEY:
      return dnskey(c, cur, len);
    case T.DHCID:
      c.info += ` ${nameCString(owner)}`;
      bytesItem(c, F['dns.dhcid.rdata'], cur, len);
      return;
    case T.NSEC3:
      return nsec3(c, cur, len);
    case T.NSEC3PARAM: {
      c.info += ` ${nameCString(owner)}`;
      u8Item(c, F['dns.nsec3.algo'], cur);
      u8Item(c, F['dns.nsec3.flags'], cur + 1);
      u16Item(c, F['dns.nsec3.iterations'], cur + 2);
      const sl = u8Item(c, F['dns.nsec3.salt_length'], cur + 4);
      bytesItem(c, F['dns.nsec3.salt_value'], cur + 5, sl);
      return;
    }
    case T.TLSA:
      c.info += ` ${nameCString(owner)}`;
      u8Item(c, F['dns.tlsa.certificate_usage'], cur);
      u8Item(c, F['dns.tlsa.selector'], cur + 1);
      u8Item(c, F['dns.tlsa.matching_type'], cur + 2);
      bytesItem(c, F['dns.tlsa.certificate_association_data'], cur + 3, len - 3);
      return;
    case T.HIP:
      c.info += ` ${nameCString(owner)}`;
      return hip(c, cur, len);
    case T.OPENPGPKEY:
      strItem(c, F['dns.openpgpkey'], cur, len);
      return;
    case T.CSYNC: {
      u32Item(c, F['dns.csync.soa'], cur);
      const fl = tvb.u16(cur + 4);
      if (t) t.add(F['dns.csync.flags'], tvb, cur + 4, 2, fl);
      bytesItem(c, F['dns.csync.type_bitmap'], cur + 6, len - 6);
      typeBitmap(c, cur + 6, len - 6);
      return;
    }
    case T.ZONEMD:
      u32Item(c, F['dns.zonemd.serial'], cur);
      u8Item(c, F['dns.zonemd.scheme'], cur + 4);
      u8Item(c, F['dns.zonemd.hash_algo'], cur + 5);
      bytesItem(c, F['dns.zonemd.digest'], cur + 6, len - 6);
      return;
    case T.SVCB:
    case T.HTTPS:
      return svcb(c, cur, len);
    case T.NID:
    case T.L64:
      u16Item(c, type === T.NID ? F['dns.ilnp.nid.preference'] : F['dns.ilnp.l64.preference'], cur);
      bytesItem(c, type === T.NID ? F['dns.ilnp.nid'] : F['dns.ilnp.l64'], cur + 2, 8);
      return;
    case T.L32:
      u16Item(c, F['dns.ilnp.l32.preference'], cur);
      ipv4Item(c, F['dns.ilnp.l32'], cur + 2);
      return;
    case T.LP:
      u16Item(c, F['dns.ilnp.lp.preference'], cur);
      rdName(c, F['dns.ilnp.lp'], cur + 2);
      return;
    case T.EUI48:
      check(tvb, cur, 6);
      if (t) t.add(F['dns.eui48'], tvb, cur, 6, tvb.bytes(cur, 6).slice());
      return;
    case T.EUI64:
      check(tvb, cur, 8);
      if (t) t.add(F['dns.eui64'], tvb, cur, 8, tvb.bytes(cur, 8).slice(), `EUI64 Address: ${hexBytes(tvb.bytes(cur, 8), ':')}`);
      return;
    case T.TKEY:
      return tkey(c, cur);
    case T.TSIG:
      return tsig(c, cur);
    case T.CAA:
      return caa(c, cur, len);
    case T.WINS:
      return wins(c, cur, len);
    case T.WINS_R: {
      bit0Item(c, F['dns.winsr.local_flag'], cur);
      u32Item(c, F['dns.winsr.lookup_timeout'], cur + 4);
      u32Item(c, F['dns.winsr.cache_timeout'], cur + 8);
      const { text } = rdName(c, F['dns.winsr.name_result_domain'], cur + 12);
      c.info += ` ${text}`;
      label(c, `, name result domain ${text}`);
      return;
    }
    case T.XPF:
      return xpf(c, cur);
    default:
      if (t) t.expert('note', `Dissector for DNS Type (${type}) code not implemented, Contact Wireshark developers if you want this supported`, tvb, cur, len, 'Undecoded');
      bytesItem(c, F['dns.data'], cur, len);
  }
}

/** <character-string>s (RFC 1035 §3.3): length byte, text. tshark walks until RDLENGTH is used up. */
function characterStrings(c: DnsCtx, cur: number, len: number, lenField: FieldDef, textField: FieldDef, utf8: boolean): void {
  const { tvb, t } = c;
  let rest = len;
  let o = cur;
  // Each round consumes at least one byte, so the walk ends at the latest at the end of the data.
  while (rest !== 0) {
    const l = tvb.u8(o);
    if (t) t.add(lenField, tvb, o, 1, l);
    o++;
    rest--;
    check(tvb, o, l);
    if (t) {
      const s = utf8 ? utf8At(tvb, o, l) : stringAt(tvb, o, l);
      t.add(textField, tvb, o, l, s, `${textField.name}: ${utf8 ? s : formatText(s)}`);
    }
    o += l;
    rest -= l;
  }
}

function wks(c: DnsCtx, cur: number, len: number): void {
  const { tvb, t } = c;
  const a = ipv4ToString(tvb.u32(cur));
  c.info += ` ${a}`;
  label(c, `, addr ${a}`);
  ipv4Item(c, F['dns.wks.address'], cur);
  cur += 4;
  let rest = len - 4;
  u8Item(c, F['dns.wks.protocol'], cur);
  cur++;
  rest--;
  let port = 0;
  while (rest !== 0) {
    const bits = tvb.u8(cur);
    if (bits !== 0) {
      const ports: number[] = [];
      for (let i = 0; i < 8; i++, port++) if (bits & (0x80 >> i)) ports.push(port);
      if (t) t.add(F['dns.wks.bits'], tvb, cur, 1, bits, `Bits: 0x${bits.toString(16).padStart(2, '0')} (${ports.join(', ')})`);
    } else port += 8;
    cur++;
    rest--;
  }
}

/** RFC 1876 size/precision: mantissa × 10^exponent centimetres, shown in metres. */
function locSize(v: number): string {
  let size = v >> 4;
  for (let e = v & 15; e > 0; e--) size *= 10;
  return fmtG(size / 100);
}

/** C's %g for the values LOC produces (6 significant digits, no trailing zeros). */
function fmtG(x: number): string {
  if (x === 0) return '0';
  const exp = Math.floor(Math.log10(Math.abs(x)));
  if (exp < -4 || exp >= 6) {
    const [m, e] = x.toExponential(5).split('e');
    const mant = m!.includes('.') ? m!.replace(/0+$/, '').replace(/\.$/, '') : m!;
    const en = Number(e);
    return `${mant}e${en < 0 ? '-' : '+'}${String(Math.abs(en)).padStart(2, '0')}`;
  }
  const s = x.toFixed(Math.max(0, 5 - exp));
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

function locAngle(v: number, longitude: boolean): string {
  let angle: number;
  let dir: string;
  if (v < 0x80000000) {
    angle = 0x80000000 - v;
    dir = longitude ? 'W' : 'S';
  } else {
    angle = v - 0x80000000;
    dir = longitude ? 'E' : 'N';
  }
  if (angle > (longitude ? 648000000 : 324000000)) return 'Value out of range';
  const tsecs = angle % 1000;
  angle = Math.floor(angle / 1000);
  const secs = angle % 60;
  angle = Math.floor(angle / 60);
  const minutes = angle % 60;
  const degrees = Math.floor(angle / 60);
  return `${degrees} deg ${minutes} min ${secs}.${String(tsecs).padStart(3, '0')} sec ${dir}`;
}

function loc(c: DnsCtx, cur: number, len: number): void {
  const { tvb, t } = c;
  const version = u8Item(c, F['dns.loc.version'], cur);
  if (version !== 0) {
    bytesItem(c, F['dns.loc.unknown_data'], cur, len);
    return;
  }
  cur++;
  const sizes: [FieldDef, number][] = [[F['dns.loc.size'], cur], [F['dns.loc.horizontal_precision'], cur + 1], [F['dns.loc.vertical_precision'], cur + 2]];
  for (const [f, o] of sizes) {
    const v = tvb.u8(o);
    if (t) t.add(f, tvb, o, 1, v, `${f.name}: ${v} (${locSize(v)} m)`);
  }
  cur += 3;
  const lat = tvb.u32(cur);
  if (t) t.add(F['dns.loc.latitude'], tvb, cur, 4, lat, `Latitude: ${lat} (${locAngle(lat, false)})`);
  const lon = tvb.u32(cur + 4);
  if (t) t.add(F['dns.loc.longitude'], tvb, cur + 4, 4, lon, `Longitude: ${lon} (${locAngle(lon, true)})`);
  const alt = tvb.u32(cur + 8);
  if (t) t.add(F['dns.loc.altitude'], tvb, cur + 8, 4, alt, `Altitude: ${alt} (${fmtG(((alt | 0) - 10000000) / 100)} m)`);
}

function naptr(c: DnsCtx, cur: number): void {
  const { tvb, t } = c;
  const order = u16Item(c, F['dns.naptr.order'], cur);
  const pref = u16Item(c, F['dns.naptr.preference'], cur + 2);
  let o = cur + 4;
  const fl = u8Item(c, F['dns.naptr.flags_length'], o);
  o++;
  const flags = strItem(c, F['dns.naptr.flags'], o, fl);
  o += fl;
  const sl = u8Item(c, F['dns.naptr.service_length'], o);
  o++;
  strItem(c, F['dns.naptr.service'], o, sl);
  o += sl;
  const rl = u8Item(c, F['dns.naptr.regex_length'], o);
  o++;
  strItem(c, F['dns.naptr.regex'], o, rl);
  o += rl;
  const r = readName(tvb, o, c.dataOff);
  const rt = nameText(r);
  if (t) t.add(F['dns.naptr.replacement_length'], tvb, o, GENERATED, r.len, `[Replacement Length: ${r.len}]`);
  nameItem(c, F['dns.naptr.replacement'], o, r, rt);
  c.info += ` ${order} ${pref} ${flags}`;
  label(c, `, order ${order}, preference ${pref}, flags ${flags}`);
}

/** A6 (RFC 2874 §3.1.1): prefix length, address suffix, prefix name. */
function a6(c: DnsCtx, cur: number): void {
  const { tvb, t } = c;
  const start = cur;
  const preLen = tvb.u8(cur);
  cur++;
  // tshark computes these in 16-bit unsigned arithmetic; a prefix over 128 reads 16 bytes.
  const sufLen = (128 - preLen) & 0xffff;
  const octets = sufLen ? Math.trunc((sufLen - 1) / 8) + 1 : 0;
  const suffix = new Uint8Array(16);
  for (let i = Math.max(0, 16 - octets); i < 16; i++) suffix[i] = tvb.u8(cur++);
  let pname: DnsName | null = null;
  let ptext = '';
  if (preLen > 0) {
    pname = readName(tvb, cur, c.dataOff);
    ptext = nameText(pname);
  }
  const addr = ipv6ToString(suffix);
  c.info += ` ${preLen} ${addr} ${ptext}`;
  if (t) {
    t.add(F['dns.a6.prefix_len'], tvb, start, 1, preLen);
    if (sufLen) t.add(F['dns.a6.address_suffix'], tvb, start + 1, octets, suffix);
    if (pname) t.add(F['dns.a6.prefix_name'], tvb, start + 1 + octets, pname.used, ptext);
    t.appendLabel(`, addr ${preLen} ${addr} ${ptext}`);
  }
}

/** OPT RDATA (RFC 6891 §6.1.2): {code, length, data} options. */
function opt(c: DnsCtx, cur: number, len: number): void {
  const { tvb, t } = c;
  let rest = len;
  // Each option consumes at least its 4-byte header from `rest`, so the loop ends.
  while (rest > 0) {
    const code = tvb.u16(cur);
    rest -= 2;
    let olen = tvb.u16(cur + 2);
    rest -= 2;
    check(tvb, cur, 4 + olen);
    const codeName = OPT_CODES.get(code) ?? `Unknown (${code})`;
    if (t) {
      open(c, F['dns.opt'], cur, 4 + olen, null, `Option: ${codeName}`);
      if (code === 0x50fa) {
        t.open(F['dns.opt.code'], tvb, cur, 2, code, valueLabel(F['dns.opt.code'], code));
        t.expert('warn', 'Deprecated opcode. Client subnet OPT assigned as 8.', tvb, cur, 2, 'Protocol');
        t.close();
      } else t.add(F['dns.opt.code'], tvb, cur, 2, code, valueLabel(F['dns.opt.code'], code));
      t.add(F['dns.opt.len'], tvb, cur + 2, 2, olen);
    }
    cur += 4;
    bytesItem(c, F['dns.opt.data'], cur, olen);
    switch (code) {
      case 5: // DAU, DHU, N3U (RFC 6975)
      case 6:
      case 7: {
        const f = code === 5 ? F['dns.opt.dau'] : code === 6 ? F['dns.opt.dhu'] : F['dns.opt.n3u'];
        while (olen !== 0) {
          u8Item(c, f, cur);
          cur++;
          rest--;
          olen--;
        }
        break;
      }
      case 0x50fa: // pre-standard client subnet, same layout
      case 8: {
        // Client subnet (RFC 7871 §6): family, source and scope prefix lengths, address.
        const family = u16Item(c, F['dns.opt.client.family'], cur);
        u8Item(c, F['dns.opt.client.netmask'], cur + 2);
        u8Item(c, F['dns.opt.client.scope'], cur + 3);
        cur += 4;
        let alen = (olen - 4) & 0xffff;
        if (alen > 16) {
          if (t) t.expert('error', 'Length too long for any type of IP address.', tvb, cur - 2, 2, 'Malformed');
          alen = 16;
        }
        const addr = new Uint8Array(16);
        addr.set(tvb.bytes(cur, alen));
        if (family === 1) {
          if (t) t.add(F['dns.opt.client.addr4'], tvb, cur, alen, ((addr[0]! << 24) | (addr[1]! << 16) | (addr[2]! << 8) | addr[3]!) >>> 0);
        } else if (family === 2) {
          if (t) t.add(F['dns.opt.client.addr6'], tvb, cur, alen, addr);
        } else bytesItem(c, F['dns.opt.client.addr'], cur, olen - 4);
        cur += olen - 4;
        rest -= olen;
        break;
      }
      case 10: // COOKIE (RFC 7873 §4)
        bytesItem(c, F['dns.opt.cookie.client'], cur, 8);
        cur += 8;
        rest -= 8;
        olen = (olen - 8) & 0xffff;
        bytesItem(c, F['dns.opt.cookie.server'], cur, olen);
        cur += olen;
        rest -= olen;
        break;
      case 11: // edns-tcp-keepalive (RFC 7828)
        if (olen === 2) u16Item(c, F['dns.opt.edns_tcp_keepalive.timeout'], cur);
        cur += olen;
        rest -= olen;
        break;
      case 12: // PADDING (RFC 7830)
        bytesItem(c, F['dns.opt.padding'], cur, olen);
        cur += olen;
        rest -= olen;
        break;
      case 13: // CHAIN (RFC 7901)
        if (olen) strItem(c, F['dns.opt.chain.fqdn'], cur, olen);
        cur += olen;
        rest -= olen;
        break;
      case 15: // Extended DNS Error (RFC 8914); tshark does not skip a 0/1-byte option body
        if (olen >= 2) {
          const ic = tvb.u16(cur);
          if (t) t.add(F['dns.opt.ext_error.info_code'], tvb, cur, 2, ic, `Info Code: ${extErrorName(ic)} (${ic})`);
          cur += 2;
          rest -= 2;
          if (olen > 2) {
            check(tvb, cur, olen - 2);
            if (t) t.add(F['dns.opt.ext_error.extra_text'], tvb, cur, olen - 2, utf8At(tvb, cur, olen - 2));
            cur += olen - 2;
            rest -= olen - 2;
          }
        }
        break;
      default:
        cur += olen;
        rest -= olen;
    }
    if (t) close(c);
  }
}

function apl(c: DnsCtx, cur: number, len: number): void {
  const { tvb, t } = c;
  let rest = len;
  while (rest > 1) {
    const family = u16Item(c, F['dns.apl.address_family'], cur);
    cur += 2;
    rest -= 2;
    u8Item(c, F['dns.apl.coded_prefix'], cur);
    cur++;
    rest--;
    const b = tvb.u8(cur);
    const afd = b & 0x7f;
    if (t) {
      t.add(F['dns.apl.negation'], tvb, cur, 1, (b & 0x80) !== 0);
      t.add(F['dns.apl.afdlength'], tvb, cur, 1, afd);
    }
    cur++;
    rest--;
    if (family === 1 && afd <= 4) {
      const a = new Uint8Array(4);
      a.set(tvb.bytes(cur, afd));
      if (t) t.add(F['dns.apl.afdpart.ipv4'], tvb, cur, afd, ((a[0]! << 24) | (a[1]! << 16) | (a[2]! << 8) | a[3]!) >>> 0);
    } else if (family === 2 && afd <= 16) {
      const a = new Uint8Array(16);
      a.set(tvb.bytes(cur, afd));
      if (t) t.add(F['dns.apl.afdpart.ipv6'], tvb, cur, afd, a);
    } else bytesItem(c, F['dns.apl.afdpart.data'], cur, afd);
    cur += afd;
    rest -= afd;
  }
}

function hip(c: DnsCtx, cur: number, len: number): void {
  const { tvb } = c;
  const hitLen = u8Item(c, F['dns.hip.hit.length'], cur);
  cur++;
  let rest = len - 1;
  u8Item(c, F['dns.hip.hit.pk.algo'], cur);
  cur++;
  rest--;
  const pkLen = u16Item(c, F['dns.hip.pk.length'], cur);
  cur += 2;
  rest -= 2;
  bytesItem(c, F['dns.hip.hit'], cur, hitLen);
  cur += hitLen;
  rest -= hitLen;
  bytesItem(c, F['dns.hip.pk'], cur, pkLen);
  cur += pkLen;
  rest -= pkLen;
  while (rest > 1) {
    const n = readName(tvb, cur, c.dataOff);
    nameItem(c, F['dns.hip.rendezvous_server'], cur, n, nameText(n));
    cur += n.used;
    rest -= n.used;
  }
}

function base64(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]!);
  return btoa(s);
}

/** SVCB/HTTPS (RFC 9460 §2.2): priority, target, SvcParams. */
function svcb(c: DnsCtx, cur: number, len: number): void {
  const { tvb, t } = c;
  const start = cur;
  u16Item(c, F['dns.svcb.svcpriority'], cur);
  cur += 2;
  const { n } = rdName(c, F['dns.svcb.targetname'], cur);
  cur += n.used;
  // Each parameter consumes at least its 4-byte header.
  while (len > cur - start) {
    check(tvb, cur, -1);
    const key = tvb.u16(cur);
    const plen = tvb.u16(cur + 2);
    const keyName = SVC_PARAM_KEYS.get(key) ?? `key${key}`;
    let text = `SvcParam: ${keyName}`;
    if (t) {
      open(c, F['dns.svcb.svcparam'], cur, plen + 4, null, text);
      t.add(F['dns.svcb.svcparam.key'], tvb, cur, 2, key, valueLabel(F['dns.svcb.svcparam.key'], key));
      t.add(F['dns.svcb.svcparam.value.length'], tvb, cur + 2, 2, plen);
    }
    cur += 4;
    switch (key) {
      case 0:
        for (let o = 0; o < plen; o += 2) {
          const k = u16Item(c, F['dns.svcb.svcparam.mandatory.key'], cur);
          text += (o === 0 ? '=' : ',') + (SVC_PARAM_KEYS.get(k) ?? `key${k}`);
          cur += 2;
        }
        break;
      case 1:
        for (let o = 0; o < plen; ) {
          const al = u8Item(c, F['dns.svcb.svcparam.alpn.length'], cur);
          cur++;
          const alpn = strItem(c, F['dns.svcb.svcparam.alpn'], cur, al);
          cur += al;
          text += (o === 0 ? '=' : ',') + alpn;
          o += 1 + al;
        }
        break;
      case 2:
        break;
      case 3:
        text += `=${u16Item(c, F['dns.svcb.svcparam.port'], cur)}`;
        cur += 2;
        break;
      case 4:
        for (let o = 0; o < plen; o += 4) {
          check(tvb, cur, 4);
          const a = tvb.u32(cur);
          if (t) t.add(F['dns.svcb.svcparam.ipv4hint.ip'], tvb, cur, 4, a);
          text += (o === 0 ? '=' : ',') + ipv4ToString(a);
          cur += 4;
        }
        break;
      case 6:
        for (let o = 0; o < plen; o += 16) {
          const a = tvb.bytes(cur, 16).slice();
          if (t) t.add(F['dns.svcb.svcparam.ipv6hint.ip'], tvb, cur, 16, a);
          text += (o === 0 ? '=' : ',') + ipv6ToString(a);
          cur += 16;
        }
        break;
      case 5:
      case 32769: {
        const b64 = base64(tvb.bytes(cur, plen));
        const f = key === 5 ? F['dns.svcb.svcparam.echconfig'] : F['dns.svcb.svcparam.odohconfig'];
        if (t) t.add(f, tvb, cur, plen, tvb.bytes(cur, plen).slice(), `${f.name}: ${b64}`);
        text += `=${b64}`;
        cur += plen;
        break;
      }
      default:
        if (plen > 0) {
          check(tvb, cur, plen);
          if (t) t.add(F['dns.svcb.svcparam.value'], tvb, cur, plen, tvb.bytes(cur, plen).slice());
          text += `=${formatText(tvb.latin1(cur, plen))}`;
          cur += plen;
        }
    }
    if (t) {
      t.appendLabel(text.slice(`SvcParam: ${keyName}`.length));
      close(c);
    }
  }
}

/** strncmp(a, b, n) == 0 with C-string semantics (a string ends at its first NUL). */
function cPrefixEqual(a: string, b: string, n: number): boolean {
  for (let i = 0; i < n; i++) {
    const x = i < a.length ? a.charCodeAt(i) : 0;
    const y = i < b.length ? b.charCodeAt(i) : 0;
    if (x !== y) return false;
    if (x === 0) return true;
  }
  return true;
}

/** CAA (RFC 8659 §4.1): flags, tag, value. */
function caa(c: DnsCtx, cur: number, len: number): void {
  const { tvb, t } = c;
  const flags = tvb.u8(cur);
  if (t) {
    t.open(F['dns.caa.flags'], tvb, cur, 1, flags);
    t.add(F['dns.caa.flags.issuer_critical'], tvb, cur, 1, (flags & 0x80) !== 0);
    t.close();
  }
  cur++;
  const tagLen = tvb.u8(cur);
  const tag = stringAt(tvb, cur + 1, tagLen);
  const valueLen = (len - (tagLen + 2)) & 0xffff;
  const value = formatText(stringAt(tvb, cur + 1 + tagLen, valueLen));
  if (!t) return;
  const f = cPrefixEqual(tag, 'issue', tagLen) ? F['dns.caa.issue']
    : cPrefixEqual(tag, 'issuewild', tagLen) ? F['dns.caa.issuewild']
      : cPrefixEqual(tag, 'iodef', tagLen) ? F['dns.caa.iodef'] : F['dns.caa.unknown'];
  t.open(f, tvb, cur, 1 + tagLen + valueLen, value);
  t.add(F['dns.caa.tag_length'], tvb, cur, 1, tagLen);
  t.add(F['dns.caa.tag'], tvb, cur + 1, tagLen, tag);
  t.add(F['dns.caa.value'], tvb, cur + 1 + tagLen, valueLen, value);
  t.close();
}

function wins(c: DnsCtx, cur: number, len: number): void {
  bit0Item(c, F['dns.wins.local_flag'], cur);
  u32Item(c, F['dns.wins.lookup_timeout'], cur + 4);
  u32Item(c, F['dns.wins.cache_timeout'], cur + 8);
  let servers = u32Item(c, F['dns.wins.nb_wins_servers'], cur + 12);
  cur += 16;
  let rest = len - 16;
  // Bounded by the packet: each server is a checked 4-byte read.
  while (rest !== 0 && servers !== 0) {
    ipv4Item(c, F['dns.wins.wins_server'], cur);
    cur += 4;
    rest -= 4;
    servers--;
  }
}

/** XPF (draft-bellis-dnsop-xpf): the original IP version, protocol, addresses and ports. */
function xpf(c: DnsCtx, cur: number): void {
  const { tvb } = c;
  const version = tvb.u8(cur);
  if (c.t) c.t.add(F['dns.xpf.ip_version'], tvb, cur, 1, version);
  cur++;
  if (version !== 4 && version !== 6) return;
  u8Item(c, F['dns.xpf.protocol'], cur);
  cur++;
  if (version === 4) {
    ipv4Item(c, F['dns.xpf.source_ipv4'], cur);
    ipv4Item(c, F['dns.xpf.destination_ipv4'], cur + 4);
    cur += 8;
  } else {
    ipv6Item(c, F['dns.xpf.source_ipv6'], cur);
    ipv6Item(c, F['dns.xpf.destination_ipv6'], cur + 16);
    cur += 32;
  }
  u16Item(c, F['dns.xpf.sport'], cur);
  u16Item(c, F['dns.xpf.dport'], cur + 2);
}
