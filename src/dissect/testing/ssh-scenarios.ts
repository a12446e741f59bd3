// Test-only SSH conversations built byte by byte (RFC 4253 §4.2 version lines, §6 binary
// packets, §7.1 KEXINIT, RFC 5656 §4 ECDH, RFC 4419 DH group exchange). ssh.test.ts decodes
// them; bench/tmp/sshfx.mts writes them as pcaps so tshark can be run on the same bytes.

import { bytes, u32 } from './packets.ts';
import { filler, split, TcpConv } from './tls-builders.ts';

/** An SSH string (RFC 4251 §5): uint32 length, then the bytes. */
export function sshStr(s: string | Uint8Array | number[]): Uint8Array {
  const b = typeof s === 'string' ? new TextEncoder().encode(s) : s instanceof Uint8Array ? s : Uint8Array.from(s);
  return bytes(u32(b.length), b);
}

/** A binary packet (RFC 4253 §6): padded to a multiple of 8 with at least 4 bytes of padding. */
export function sshPacket(payload: Uint8Array | number[], padding?: number): Uint8Array {
  const body = payload instanceof Uint8Array ? payload : Uint8Array.from(payload);
  let pad = padding ?? 8 - ((5 + body.length) % 8);
  if (padding === undefined && pad < 4) pad += 8;
  return bytes(u32(1 + body.length + pad), [pad], body, new Uint8Array(pad));
}

export interface KexInitOpts {
  kex?: string;
  hostKey?: string;
  enc?: string;
  mac?: string;
  comp?: string;
  seed?: number;
}

/** SSH_MSG_KEXINIT (RFC 4253 §7.1). */
export function kexInit(o: KexInitOpts = {}): Uint8Array {
  const enc = o.enc ?? 'chacha20-poly1305@openssh.com,aes128-ctr';
  const mac = o.mac ?? 'hmac-sha2-256-etm@openssh.com,hmac-sha2-256';
  const comp = o.comp ?? 'none,zlib@openssh.com';
  return sshPacket(bytes(
    [20], filler(16, o.seed ?? 0x11),
    sshStr(o.kex ?? 'curve25519-sha256,ecdh-sha2-nistp256,diffie-hellman-group-exchange-sha256'),
    sshStr(o.hostKey ?? 'ssh-ed25519,rsa-sha2-512'),
    sshStr(enc), sshStr(enc), sshStr(mac), sshStr(mac), sshStr(comp), sshStr(comp),
    sshStr(''), sshStr(''), [0], u32(0),
  ));
}

const ed25519HostKey = () => sshStr(bytes(sshStr('ssh-ed25519'), sshStr(filler(32, 0x21))));
const ed25519Signature = () => sshStr(bytes(sshStr('ssh-ed25519'), sshStr(filler(64, 0x31))));
const rsaHostKey = () => sshStr(bytes(sshStr('ssh-rsa'), sshStr([1, 0, 1]), sshStr(bytes([0], filler(64, 0x41)))));
const rsaSignature = () => sshStr(bytes(sshStr('ssh-rsa'), sshStr(filler(64, 0x51))));

/** SSH_MSG_KEX_ECDH_INIT / _REPLY (RFC 5656 §4). */
export const ecdhInit = () => sshPacket(bytes([30], sshStr(filler(32, 0x61))));
export const ecdhReply = () => sshPacket(bytes([31], ed25519HostKey(), sshStr(filler(32, 0x71)), ed25519Signature()));
export const newKeys = () => sshPacket([21]);

const CLIENT_VERSION = 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n';
const SERVER_VERSION = 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n';

export const SSH_SCENARIOS: Record<string, () => TcpConv> = {
  /** curve25519 key exchange, then chacha20-poly1305: tshark shows its "zero-key" packets empty. */
  ecdh: () => new TcpConv(50022, 22)
    .c(CLIENT_VERSION)
    .s(SERVER_VERSION)
    .c(kexInit({ seed: 1 }))
    .s(kexInit({ seed: 2, kex: 'curve25519-sha256,diffie-hellman-group14-sha256' }))
    .c(ecdhInit())
    // The reply and New Keys in one segment.
    .s(bytes(ecdhReply(), newKeys()))
    .c(newKeys())
    .c(filler(52, 0x81))
    .s(filler(68, 0x91)),

  /** A cipher tshark cannot open (3des-cbc) and a MAC it sizes: "Encrypted packet (len=N)". */
  unknownCipher: () => new TcpConv(50023, 22)
    .c(CLIENT_VERSION)
    .s(SERVER_VERSION)
    .c(kexInit({ seed: 3, enc: '3des-cbc', mac: 'hmac-sha1' }))
    .s(kexInit({ seed: 4, enc: '3des-cbc', mac: 'hmac-sha1' }))
    .c(ecdhInit())
    .s(ecdhReply())
    .s(bytes(newKeys(), filler(36, 0xa1)))
    .c(bytes(newKeys(), filler(36, 0xb1)))
    .c(filler(60, 0xc1)),

  /** DH group exchange (RFC 4419) with an RSA host key and signature. */
  gex: () => new TcpConv(50024, 22)
    .c(CLIENT_VERSION)
    .s(SERVER_VERSION)
    .c(kexInit({ seed: 5, kex: 'diffie-hellman-group-exchange-sha256' }))
    .s(kexInit({ seed: 6 }))
    .c(sshPacket(bytes([34], u32(2048), u32(4096), u32(8192))))
    .s(sshPacket(bytes([31], sshStr(bytes([0], filler(64, 0xd1))), sshStr([2]))))
    .c(sshPacket(bytes([32], sshStr(filler(64, 0xe1)))))
    .s(sshPacket(bytes([33], rsaHostKey(), sshStr(filler(64, 0xf1)), rsaSignature())))
    .s(newKeys())
    .c(newKeys())
    .c(filler(44, 0x12)),

  /** Packets across segments: a KEXINIT in two pieces, and one segment ending inside the next packet. */
  split: () => {
    const ci = kexInit({ seed: 7 });
    const si = kexInit({ seed: 8 });
    const [si1, si2] = split(si, 100);
    const reply = bytes(ecdhReply(), newKeys());
    const [r1, r2] = split(reply, 2);
    const init = ecdhInit();
    const conv = new TcpConv(50025, 22)
      .c(CLIENT_VERSION)
      .s(SERVER_VERSION)
      .c(ci)
      .s(si1!)
      .s(si2!);
    // A whole packet and the start of the next one, then the rest.
    const both = bytes(init, newKeys());
    const [b1, b2] = split(both, init.length + 6);
    return conv.c(b1!).s(r1!).s(r2!).c(b2!);
  },

  /** Broken packets: a name-list longer than the segment, padding longer than the packet. */
  malformed: () => {
    const bad = kexInit({ seed: 9 });
    // The kex_algorithms length (after length, padding length, code and cookie) made huge.
    bad.set(u32(0x7fff0000), 4 + 1 + 1 + 16);
    const badPadding = bytes(u32(12), [200], [21], new Uint8Array(10));
    return new TcpConv(50026, 22)
      .c(CLIENT_VERSION)
      .s(SERVER_VERSION)
      .c(bad)
      .s(badPadding)
      .s(bytes(u32(0)));
  },

  /** A capture that starts in the middle: no version seen, everything is "Encrypted packet". */
  midStream: () => new TcpConv(50027, 22)
    .c(filler(48, 0x22))
    .s(filler(64, 0x33)),

  /** An SSH 1 client (SSH-1.5) and its first packet; a version line spread over two segments. */
  ssh1: () => {
    const [v1, v2] = split(new TextEncoder().encode('SSH-1.5-OpenSSH_2.0\n'), 10);
    return new TcpConv(50028, 22)
      .s('SSH-1.99-OpenSSH_3.9p1\n')
      .c(v1!)
      .c(v2!)
      .s(bytes(u32(13), new Uint8Array(3), [2], filler(12, 0x44)))
      .c(bytes(u32(5), new Uint8Array(3), [3], filler(4, 0x55)));
  },
};
