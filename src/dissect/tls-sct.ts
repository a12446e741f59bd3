// Signed Certificate Timestamps (RFC 6962 §3.2–3.3) in a certificate's extension: each SCT's log,
// time and signature, as tshark shows them. Logs are named by their ID (the SHA-256 of the log's
// key) where tshark names them; others read "Unknown Log".

import type { OidSink } from './ber.ts';
import type { Tlv } from './ber.ts';
import { hexBytes } from './registry.ts';
import { F } from './tls-fields.ts';
import { HASH_ALGORITHMS, hex4, SIGNATURE_ALGORITHMS, SIGNATURE_SCHEMES } from './tls-names.ts';
import { utcTimeText } from './text.ts';
import type { TreeSink } from './tree.ts';
import type { Tvb } from './tvb.ts';

/** Certificate Transparency logs by ID (hex), as tshark 4.0 names them. */
const CT_LOGS: Record<string, string> = {
  a4b90990b418581487bb13a2cc67700a3c359804f91bdfb8e377cd0ec80ddc10: "Google 'Pilot' log",
  bbd9dfbc1f8a71b593942397aa927b473857950aab52e81a909664368e1ed185: "Google 'Skydiver' log",
  f65c942fd1773022145418083094568ee34d131933bfdf0c2f200bcc4ef164e3: "Google 'Argon2021' log",
  '5cdc4392fee6ab4544b15e9ad456e61037fbd5fa47dca17394b25ee6f6c70eca': 'DigiCert Yeti2021 Log',
  '8775bfe7597cf88c43995fbdf36eff568d475636ff4ab560c1b4eaff5ea0830f': 'DigiCert Log Server 2',
  '6f5376ac31f03119d89900a45115ff77151c11d902c10029068db2089a37d913': "Sectigo 'Mammoth' CT log",
  '4494652eb0eeceafc44007d8a8fe28c0dae682bed8cb31b53fd33396b5b681a8': "Cloudflare 'Nimbus2021' Log",
};

/** A SignatureAndHashAlgorithm / SignatureScheme at `o` (RFC 5246 §7.4.1.4.1, RFC 8446 §4.2.3). */
export function signatureAlgorithmTree(t: TreeSink, tvb: Tvb, o: number): void {
  const s = tvb.u16(o);
  t.open(F['tls.handshake.sig_hash_alg'], tvb, o, 2, s, `Signature Algorithm: ${SIGNATURE_SCHEMES[s] ?? 'Unknown'} (${hex4(s)})`);
  t.add(F['tls.handshake.sig_hash_hash'], tvb, o, 1, s >> 8, `Signature Hash Algorithm Hash: ${HASH_ALGORITHMS[s >> 8] ?? 'Unknown'} (${s >> 8})`);
  t.add(F['tls.handshake.sig_hash_sig'], tvb, o + 1, 1, s & 0xff, `Signature Hash Algorithm Signature: ${SIGNATURE_ALGORITHMS[s & 0xff] ?? 'Unknown'} (${s & 0xff})`);
  t.close();
}

/** The SignedCertificateTimestampList inside the extension's OCTET STRING `list`. */
export function signedCertificateTimestamps(t: OidSink, tvb: Tvb, list: Tlv): void {
  t.layer('tls');
  let o = list.start;
  const end = list.end;
  const total = tvb.u16(o);
  t.add(F['tls.sct.scts_length'], tvb, o, 2, total);
  o += 2;
  const listEnd = Math.min(end, o + total);
  while (o + 2 <= listEnd) {
    const len = tvb.u16(o);
    const sctEnd = o + 2 + len;
    tvb.check(o, 2 + len);
    const logId = o + 3;
    const name = CT_LOGS[hexBytes(tvb.bytes(logId, 32), '')] ?? 'Unknown Log';
    t.text(tvb, o, 2 + len, `Signed Certificate Timestamp (${name})`, true);
    t.add(F['tls.sct.sct_length'], tvb, o, 2, len);
    t.add(F['tls.sct.sct_version'], tvb, o + 2, 1, tvb.u8(o + 2));
    t.add(F['tls.sct.sct_logid'], tvb, logId, 32, tvb.bytes(logId, 32));
    const ms = tvb.u32(logId + 32) * 2 ** 32 + tvb.u32(logId + 36);
    t.add(F['tls.sct.sct_timestamp'], tvb, logId + 32, 8, utcTimeText(Math.floor(ms / 1000), (ms % 1000) * 1e6));
    let p = logId + 40;
    const extLen = tvb.u16(p);
    t.add(F['tls.sct.sct_extensions_length'], tvb, p, 2, extLen);
    if (extLen) t.add(F['tls.sct.sct_extensions'], tvb, p + 2, extLen, null);
    p += 2 + extLen;
    signatureAlgorithmTree(t, tvb, p);
    const sigLen = tvb.u16(p + 2);
    t.add(F['tls.sct.sct_signature_length'], tvb, p + 2, 2, sigLen);
    t.add(F['tls.sct.sct_signature'], tvb, p + 4, sigLen, tvb.bytes(p + 4, sigLen));
    t.close();
    o = sctEnd;
  }
}
