// Test-only certificates for x509af.test.ts, each reaching other parts of the dissection, and
// the TLS conversation that carries them (tshark -V's text of it is the test's expectation,
// x509-tshark.txt).

import {
  algorithm, bitString, bmp, bool, certificate, ctx, extension, filler, generalizedTime, ia5, int, name, octets,
  oid, printable, rsaKey, seq, teletex, utf8, visible,
} from './der-builders.ts';
import { bytes, u16 } from './packets.ts';
import { HANDSHAKE, record, TcpConv, u24 } from './tls-builders.ts';
import { CLIENT_HELLO, SERVER_HELLO_12 } from './tls-scenarios.ts';

/** A Signed Certificate Timestamp (RFC 6962 §3.2) from log `logId`, SHA-256/ECDSA signed. */
function sct(logId: Uint8Array, millis: number): Uint8Array {
  const ts = [Math.floor(millis / 2 ** 32) >>> 24 & 0xff, (Math.floor(millis / 2 ** 32) >>> 16) & 0xff, (Math.floor(millis / 2 ** 32) >>> 8) & 0xff, Math.floor(millis / 2 ** 32) & 0xff,
    (millis >>> 24) & 0xff, (millis >>> 16) & 0xff, (millis >>> 8) & 0xff, millis & 0xff];
  const body = bytes([0], logId, ts, u16(0), [4, 3], u16(70), filler(70, 0x21));
  return bytes(u16(body.length), body);
}

function hexBytes(h: string): Uint8Array {
  return Uint8Array.from(h.match(/../g)!.map((x) => parseInt(x, 16)));
}

/** Google 'Pilot' log's id, as logs are known by (RFC 6962 §3.2: SHA-256 of the log's key). */
const PILOT = hexBytes('a4b90990b418581487bb13a2cc67700a3c359804f91bdfb8e377cd0ec80ddc10');

/** A server certificate with most of RFC 5280's extensions and many attribute kinds. */
export const LEAF = certificate({
  serial: [0x00, 0x99, 0xfa, 0xa8, 0x03, 0x7a, 0x4e, 0xb2, 0xfa],
  issuer: name(['2.5.4.6', printable('GB')], ['2.5.4.10', printable('Example Trust Ltd')], ['2.5.4.3', printable('Example Issuing CA')]),
  subject: name(
    ['1.3.6.1.4.1.311.60.2.1.3', printable('US')],
    ['2.5.4.15', utf8('Private Organization')],
    ['2.5.4.5', printable('4710875')],
    ['2.5.4.6', printable('US')],
    ['2.5.4.8', utf8('California')],
    ['2.5.4.7', teletex('San Francisco')],
    ['2.5.4.10', utf8('Example, Inc.')],
    ['2.5.4.11', bmp('Web')],
    ['2.5.4.3', utf8('www.example.com')],
    ['1.2.840.113549.1.9.1', ia5('hostmaster@example.com')],
  ),
  extensions: [
    extension('2.5.29.35', seq(ctx(0, false, filler(20, 1)), ctx(1, true, ctx(4, true, name(['2.5.4.3', printable('Root')]))), ctx(2, false, [0x01]))),
    extension('2.5.29.14', octets(filler(20, 2))),
    extension('2.5.29.15', bitString(5, [0xa0]), true),
    extension('2.5.29.19', seq(), true),
    extension('2.5.29.37', seq(oid('1.3.6.1.5.5.7.3.1'), oid('1.3.6.1.5.5.7.3.2'))),
    extension('2.5.29.32', seq(
      seq(oid('2.23.140.1.2.2'), seq(seq(oid('1.3.6.1.5.5.7.2.1'), ia5('https://cps.example.com/')))),
      seq(oid('1.3.6.1.4.1.6449.1.2.1.3.4'), seq(seq(oid('1.3.6.1.5.5.7.2.2'), seq(seq(ia5('Example Trust'), seq(int(1), int(2))), visible('Issued for tests only'))))),
      seq(oid('2.5.29.32.0')),
    )),
    extension('2.5.29.31', seq(seq(ctx(0, true, ctx(0, true, ctx(6, false, new TextEncoder().encode('http://crl.example.com/ca.crl'))))))),
    extension('1.3.6.1.5.5.7.1.1', seq(
      seq(oid('1.3.6.1.5.5.7.48.1'), ctx(6, false, new TextEncoder().encode('http://ocsp.example.com'))),
      seq(oid('1.3.6.1.5.5.7.48.2'), ctx(6, false, new TextEncoder().encode('http://crt.example.com/ca.crt'))),
    )),
    extension('2.5.29.17', seq(
      ctx(2, false, new TextEncoder().encode('www.example.com')),
      ctx(2, false, new TextEncoder().encode('example.com')),
      ctx(7, false, [192, 0, 2, 10]),
      ctx(1, false, new TextEncoder().encode('admin@example.com')),
    )),
    extension('1.3.6.1.4.1.11129.2.4.2', octets((() => {
      const list = bytes(sct(PILOT, 1_540_929_123_596), sct(filler(32, 9), 1_600_000_000_000));
      return bytes(u16(list.length), list);
    })())),
    extension('1.2.3.4.5', octets([1, 2, 3])),
  ],
});

/** An intermediate CA: EC P-256 key, ECDSA signature, path length, a GeneralizedTime. */
export const EC_CA = certificate({
  serial: 0x023a69,
  signature: '1.2.840.10045.4.3.2',
  subject: name(['2.5.4.6', printable('GB')], ['2.5.4.10', printable('Example Trust Ltd')], ['2.5.4.3', printable('Example Issuing CA')]),
  notAfter: generalizedTime('20491231235959Z'),
  spki: seq(seq(oid('1.2.840.10045.2.1'), oid('1.2.840.10045.3.1.7')), bitString(0, bytes([4], filler(64, 5)))),
  extensions: [
    extension('2.5.29.19', seq(bool(true), int(0)), true),
    extension('2.5.29.15', bitString(1, [0x06]), true),
  ],
  signatureBytes: 71,
});

/** A version 1 root: no version field, no extensions, SHA-1. */
export const V1_ROOT = certificate({
  version: null,
  serial: 1,
  signature: '1.2.840.113549.1.1.5',
  issuer: name(['2.5.4.3', printable('Old Root')]),
  subject: name(['2.5.4.3', printable('Old Root')]),
  spki: seq(algorithm('1.2.840.113549.1.1.1'), bitString(0, rsaKey(512))),
});

/** The TLS 1.2 Certificate handshake message (RFC 5246 §7.4.2) holding `certs`. */
export function certificateMessage(certs: Uint8Array[]): Uint8Array {
  const list = bytes(...certs.map((c) => bytes(u24(c.length), c)));
  const body = bytes(u24(list.length), list);
  return bytes([11], u24(body.length), body);
}



/** A TLS 1.2 server flight whose Certificate message holds the three certificates above. */
export function certificateConversation(certs: Uint8Array[] = [LEAF, EC_CA, V1_ROOT]): TcpConv {
  return new TcpConv().c(CLIENT_HELLO).s(bytes(SERVER_HELLO_12, record(HANDSHAKE, 0x0303, certificateMessage(certs))));
}
