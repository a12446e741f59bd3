// QUIC packet protection for Initial packets (RFC 9001 §5, RFC 9369 §3.3 for QUIC v2): keys
// derived from the client's first Destination Connection ID, so any observer can remove them —
// which is how tshark shows an Initial's frames and the TLS ClientHello inside without a key log.
//
// AES-128-GCM, AES-ECB (header protection) and HKDF-SHA256 come from @noble/ciphers and
// @noble/hashes: audited, synchronous (dissection is synchronous; WebCrypto is not) and the
// same code in the worker and in Node.

import { ecb, gcm } from '@noble/ciphers/aes.js';
import { expand, extract } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';

/** The keys protecting one direction of one packet number space. */
export interface QuicKeys {
  key: Uint8Array;
  iv: Uint8Array;
  hp: Uint8Array;
}

export const QUIC_V1 = 0x00000001;
export const QUIC_V2 = 0x6b3343cf;

/** The draft a version follows, as Wireshark numbers them (v1 counts as draft 34, v2 as 100); 0 = not IETF QUIC. */
export function quicDraftVersion(version: number): number {
  if (version >>> 8 === 0xff0000) return version & 0xff;
  if (version === 0xfaceb001) return 22; // Facebook mvfst
  if (version === 0xfaceb002 || version === 0xfaceb00e) return 27;
  if (version === 0x51303530 || version === 0x54303530 || version === 0x54303531) return 27; // gQUIC Q050/T050/T051
  if ((version & 0x0f0f0f0f) === 0x0a0a0a0a) return 29; // RFC 9000 §15: versions reserved to force negotiation
  if (version === QUIC_V1) return 34;
  if (version === QUIC_V2) return 100;
  return 0;
}

/** A version as tshark names it, with its hex value: "1 (0x00000001)", "draft-29 (0xff00001d)". */
export function quicVersionLabel(v: number): string {
  let name = 'Unknown';
  if (v === 0) name = 'Version Negotiation';
  else if (v === QUIC_V1) name = '1';
  else if (v === QUIC_V2) name = '2';
  else if (v >>> 8 === 0xff0000) name = `draft-${String(v & 0xff).padStart(2, '0')}`;
  return `${name} (0x${v.toString(16).padStart(8, '0')})`;
}

const hex = (s: string) => Uint8Array.from(s.match(/../g)!, (b) => parseInt(b, 16));

// Initial salts: RFC 9001 §5.2 (v1), RFC 9369 §3.3.1 (v2), and the drafts before them.
const SALT_V1 = hex('38762cf7f55934b34d179ae6a4c80cadccbb7f0a');
const SALT_V2 = hex('0dede3def700a6db819381be6e269dcbf9bd2ed9');
const SALT_DRAFT_29 = hex('afbfec289993d24c9e9786f19c6111e04390a899');
const SALT_DRAFT_23 = hex('c3eef712c72ebb5a11a7d2432bb46365bef9f502');

/** TLS 1.3 HKDF-Expand-Label (RFC 8446 §7.1) with an empty context. */
export function hkdfExpandLabel(secret: Uint8Array, label: string, length: number): Uint8Array {
  const full = 'tls13 ' + label;
  const info = new Uint8Array(4 + full.length);
  info[0] = length >> 8;
  info[1] = length & 0xff;
  info[2] = full.length;
  for (let i = 0; i < full.length; i++) info[3 + i] = full.charCodeAt(i);
  info[3 + full.length] = 0; // empty context
  return expand(sha256, secret, info, length);
}

/**
 * The client's and server's Initial keys for a connection whose first client Initial was sent
 * to `dcid`, or null for versions whose Initial protection we do not know (drafts before 23,
 * gQUIC).
 */
export function initialKeys(dcid: Uint8Array, version: number): { client: QuicKeys; server: QuicKeys } | null {
  const draft = quicDraftVersion(version);
  if (draft < 23 || (version >>> 24 === 0x51 || version >>> 24 === 0x54)) return null;
  const salt = draft <= 28 ? SALT_DRAFT_23 : draft <= 32 ? SALT_DRAFT_29 : draft <= 34 ? SALT_V1 : SALT_V2;
  const initial = extract(sha256, dcid, salt);
  const prefix = version === QUIC_V2 ? 'quicv2 ' : 'quic ';
  const keys = (secret: Uint8Array): QuicKeys => ({
    key: hkdfExpandLabel(secret, prefix + 'key', 16),
    iv: hkdfExpandLabel(secret, prefix + 'iv', 12),
    hp: hkdfExpandLabel(secret, prefix + 'hp', 16),
  });
  return {
    client: keys(hkdfExpandLabel(initial, 'client in', 32)),
    server: keys(hkdfExpandLabel(initial, 'server in', 32)),
  };
}

/** The 5-byte header protection mask for a 16-byte sample (RFC 9001 §5.4.3, AES). */
export function headerMask(hp: Uint8Array, sample: Uint8Array): Uint8Array {
  return ecb(hp, { disablePadding: true }).encrypt(sample).subarray(0, 5);
}

/** The AEAD nonce of packet number `pn` (RFC 9001 §5.3): the IV with the number XORed into its end. */
function nonceFor(iv: Uint8Array, pn: number): Uint8Array {
  const nonce = iv.slice();
  let n = pn;
  for (let i = 11; i >= 4 && n > 0; i--) {
    nonce[i]! ^= n % 256;
    n = Math.floor(n / 256);
  }
  return nonce;
}

/** Opens a packet's payload (ciphertext with its 16-byte tag); null when the tag does not verify. */
export function openPayload(keys: QuicKeys, pn: number, header: Uint8Array, sealed: Uint8Array): Uint8Array | null {
  try {
    return gcm(keys.key, nonceFor(keys.iv, pn), header).decrypt(sealed);
  } catch {
    return null;
  }
}

/** Seals a payload (for test fixtures that build protected packets). */
export function sealPayload(keys: QuicKeys, pn: number, header: Uint8Array, plain: Uint8Array): Uint8Array {
  return gcm(keys.key, nonceFor(keys.iv, pn), header).encrypt(plain);
}

// Retry Integrity Tag keys (RFC 9001 §5.8, RFC 9369 §3.3.3, and the drafts before them).
const RETRY_KEYS: [maxDraft: number, key: Uint8Array, nonce: Uint8Array][] = [
  [28, hex('4d32ecdb2a2133c841e4043df27d4430'), hex('4d1611d05513a552c587d575')],
  [32, hex('ccce187ed09a09d05728155a6cb96be1'), hex('e54930f97f2136f0530a8c1c')],
  [34, hex('be0c690b9f66575a1d766b54e368c84e'), hex('461599d35d632bf2239825bb')],
  [Infinity, hex('8fb4b01b56ac48e260fbcbcead7ccc92'), hex('d86969bc2d7c6d9990efb04a')],
];

/** The Retry Integrity Tag of a Retry packet (without its tag) answering a client Initial sent to `odcid`. */
export function retryIntegrityTag(version: number, odcid: Uint8Array, retryWithoutTag: Uint8Array): Uint8Array {
  const draft = quicDraftVersion(version);
  const [, key, nonce] = RETRY_KEYS.find(([max]) => draft <= max)!;
  // The pseudo-packet: the original DCID with its length, then the Retry packet (RFC 9001 §5.8).
  const aad = new Uint8Array(1 + odcid.length + retryWithoutTag.length);
  aad[0] = odcid.length;
  aad.set(odcid, 1);
  aad.set(retryWithoutTag, 1 + odcid.length);
  return gcm(key, nonce, aad).encrypt(new Uint8Array(0));
}
