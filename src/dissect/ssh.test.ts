import { describe, expect, it } from 'vitest';
import { bytes, decodeFrames, lines, treeText } from './testing/packets.ts';
import { ecdhInit, kexInit, newKeys, SSH_SCENARIOS } from './testing/ssh-scenarios.ts';
import { TcpConv } from './testing/tls-builders.ts';

function run(name: string) {
  return decodeFrames(SSH_SCENARIOS[name]!().frames);
}

/** The SSH subtree of a frame (re-dissected, as the details pane does). */
function sshTree(cap: ReturnType<typeof run>, n: number): string {
  return treeText(cap.tree(n).items.filter((i) => i.field === 'ssh'));
}

// Expected lines: tshark 4.0.17's output for the same bytes (`tshark -r FILE -n` on
// TcpConv.pcap(), written by bench/tmp/sshfx.mts).
const TSHARK: Record<string, string[]> = {
  ecdh: [
    '    1   0.000000    192.0.2.1 → 198.51.100.7 SSH 94 Client: Protocol (SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3)',
    '    2   0.001000 198.51.100.7 → 192.0.2.1    SSHv2 94 Server: Protocol (SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3)',
    '    3   0.002000    192.0.2.1 → 198.51.100.7 SSHv2 430 Client: Key Exchange Init',
    '    4   0.003000 198.51.100.7 → 192.0.2.1    SSHv2 406 Server: Key Exchange Init',
    '    5   0.004000    192.0.2.1 → 198.51.100.7 SSHv2 102 Client: Elliptic Curve Diffie-Hellman Key Exchange Init',
    '    6   0.005000 198.51.100.7 → 192.0.2.1    SSHv2 262 Server: Elliptic Curve Diffie-Hellman Key Exchange Reply, New Keys',
    '    7   0.006000    192.0.2.1 → 198.51.100.7 SSHv2 70 Client: New Keys',
    '    8   0.007000    192.0.2.1 → 198.51.100.7 SSHv2 106 Client: ',
    '    9   0.008000 198.51.100.7 → 192.0.2.1    SSHv2 122 Server: ',
  ],
  unknownCipher: [
    '    1   0.000000    192.0.2.1 → 198.51.100.7 SSH 94 Client: Protocol (SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3)',
    '    2   0.001000 198.51.100.7 → 192.0.2.1    SSHv2 94 Server: Protocol (SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3)',
    '    3   0.002000    192.0.2.1 → 198.51.100.7 SSHv2 302 Client: Key Exchange Init',
    '    4   0.003000 198.51.100.7 → 192.0.2.1    SSHv2 302 Server: Key Exchange Init',
    '    5   0.004000    192.0.2.1 → 198.51.100.7 SSHv2 102 Client: Elliptic Curve Diffie-Hellman Key Exchange Init',
    '    6   0.005000 198.51.100.7 → 192.0.2.1    SSHv2 246 Server: Elliptic Curve Diffie-Hellman Key Exchange Reply',
    '    7   0.006000 198.51.100.7 → 192.0.2.1    SSHv2 106 Server: New Keys, Encrypted packet (len=36)',
    '    8   0.007000    192.0.2.1 → 198.51.100.7 SSHv2 106 Client: New Keys, Encrypted packet (len=36)',
    '    9   0.008000    192.0.2.1 → 198.51.100.7 SSHv2 114 Client: Encrypted packet (len=60)',
  ],
  gex: [
    '    1   0.000000    192.0.2.1 → 198.51.100.7 SSH 94 Client: Protocol (SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3)',
    '    2   0.001000 198.51.100.7 → 192.0.2.1    SSHv2 94 Server: Protocol (SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3)',
    '    3   0.002000    192.0.2.1 → 198.51.100.7 SSHv2 398 Client: Key Exchange Init',
    '    4   0.003000 198.51.100.7 → 192.0.2.1    SSHv2 430 Server: Key Exchange Init',
    '    5   0.004000    192.0.2.1 → 198.51.100.7 SSHv2 78 Client: Diffie-Hellman Group Exchange Request',
    '    6   0.005000 198.51.100.7 → 192.0.2.1    SSHv2 142 Server: Diffie-Hellman Group Exchange Group',
    '    7   0.006000    192.0.2.1 → 198.51.100.7 SSHv2 134 Client: Diffie-Hellman Group Exchange Init',
    '    8   0.007000 198.51.100.7 → 192.0.2.1    SSHv2 310 Server: Diffie-Hellman Group Exchange Reply',
    '    9   0.008000 198.51.100.7 → 192.0.2.1    SSHv2 70 Server: New Keys',
    '   10   0.009000    192.0.2.1 → 198.51.100.7 SSHv2 70 Client: New Keys',
    '   11   0.010000    192.0.2.1 → 198.51.100.7 SSHv2 98 Client: Encrypted packet (len=44)',
  ],
  split: [
    '    1   0.000000    192.0.2.1 → 198.51.100.7 SSH 94 Client: Protocol (SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3)',
    '    2   0.001000 198.51.100.7 → 192.0.2.1    SSHv2 94 Server: Protocol (SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3)',
    '    3   0.002000    192.0.2.1 → 198.51.100.7 SSHv2 430 Client: Key Exchange Init',
    '    4   0.003000 198.51.100.7 → 192.0.2.1    TCP 154 [TCP segment of a reassembled PDU]',
    '    5   0.004000 198.51.100.7 → 192.0.2.1    SSHv2 330 Server: Key Exchange Init',
    '    6   0.005000    192.0.2.1 → 198.51.100.7 SSHv2 108 Elliptic Curve Diffie-Hellman Key Exchange Init',
    '    7   0.006000 198.51.100.7 → 192.0.2.1    TCP 56 [TCP segment of a reassembled PDU]',
    '    8   0.007000 198.51.100.7 → 192.0.2.1    SSHv2 260 Server: Elliptic Curve Diffie-Hellman Key Exchange Reply, New Keys',
    '    9   0.008000    192.0.2.1 → 198.51.100.7 SSHv2 64 Client: New Keys',
  ],
  malformed: [
    '    1   0.000000    192.0.2.1 → 198.51.100.7 SSH 94 Client: Protocol (SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3)',
    '    2   0.001000 198.51.100.7 → 192.0.2.1    SSHv2 94 Server: Protocol (SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3)',
    '    3   0.002000    192.0.2.1 → 198.51.100.7 SSHv2 430 Key Exchange Init[Malformed Packet]',
    '    4   0.003000 198.51.100.7 → 192.0.2.1    SSHv2 70 New Keys[Malformed Packet]',
    '    5   0.004000 198.51.100.7 → 192.0.2.1    SSHv2 58 [Malformed Packet]',
  ],
  midStream: [
    '    1   0.000000    192.0.2.1 → 198.51.100.7 SSH 102 Client: Encrypted packet (len=48)',
    '    2   0.001000 198.51.100.7 → 192.0.2.1    SSH 118 Server: Encrypted packet (len=64)',
  ],
  ssh1: [
    '    1   0.000000 198.51.100.7 → 192.0.2.1    SSH 77 Server: Protocol (SSH-1.99-OpenSSH_3.9p1)',
    '    2   0.001000    192.0.2.1 → 198.51.100.7 TCP 64 [TCP segment of a reassembled PDU]',
    '    3   0.002000    192.0.2.1 → 198.51.100.7 SSH 64 Client: Encrypted packet (len=10)',
    '    4   0.003000 198.51.100.7 → 192.0.2.1    SSH 74 Server: Encrypted packet (len=20)',
    '    5   0.004000    192.0.2.1 → 198.51.100.7 SSH 66 Client: Encrypted packet (len=12)',
  ],
};

describe('SSH', () => {
  for (const name of Object.keys(TSHARK)) {
    it(`summary lines equal tshark's: ${name}`, () => {
      expect(lines(run(name))).toEqual(TSHARK[name]);
    });
  }

  it('shows the version exchange, KEXINIT with hassh, and the ECDH exchange', () => {
    const cap = run('ecdh');
    expect(sshTree(cap, 1)).toMatchSnapshot();
    expect(sshTree(cap, 3)).toMatchSnapshot();
    expect(sshTree(cap, 6)).toMatchSnapshot();
  });

  it('names the agreed method and ciphers in the tree', () => {
    const cap = run('ecdh');
    const reply = sshTree(cap, 6);
    expect(reply).toContain('Key Exchange (method:curve25519-sha256)');
    // After New Keys the side's packets carry the chosen cipher in the title, and nothing else.
    expect(reply).toContain('SSH Version 2 (encryption:chacha20-poly1305@openssh.com compression:none)');
    expect(sshTree(cap, 8)).toBe([
      'SSH Protocol  {ssh}',
      '  SSH Version 2 (encryption:chacha20-poly1305@openssh.com compression:none)',
      '  Direction: client-to-server  {ssh.direction}',
      '',
    ].join('\n'));
  });

  it('shows packets of an unknown cipher with their MAC', () => {
    expect(sshTree(run('unknownCipher'), 9)).toMatchSnapshot();
  });

  it('dissects a DH group exchange with an RSA host key', () => {
    const cap = run('gex');
    expect(sshTree(cap, 5)).toContain('DH GEX Number of Bits: 4096');
    expect(sshTree(cap, 8)).toMatchSnapshot();
  });

  it('reassembles packets across segments and shows them on the last one', () => {
    const cap = run('split');
    expect(treeText(cap.tree(5).items)).toContain('Message Code: Key Exchange Init (20)');
    expect(sshTree(cap, 8)).toContain('Message Code: New Keys (21)');
  });

  it('survives malformed packets as tshark does', () => {
    const cap = run('malformed');
    for (const n of [3, 4, 5]) expect(treeText(cap.tree(n).items)).toContain('Malformed Packet');
    expect(sshTree(cap, 3)).toContain('kex_algorithms length: 2147418112');
  });

  it('gives every frame the same result when dissected again, in any order', () => {
    for (const name of Object.keys(TSHARK)) {
      const frames = SSH_SCENARIOS[name]!().frames;
      const first = decodeFrames(frames);
      const again = decodeFrames(frames);
      const expected = frames.map((_, i) => treeText(first.tree(i + 1).items));
      for (let n = frames.length; n >= 1; n--) expect(treeText(again.tree(n).items)).toBe(expected[n - 1]);
    }
  });

  it('cuts long name-lists in the label as tshark does', () => {
    const long = Array.from({ length: 30 }, (_, i) => `algorithm-number-${i}@example.org`).join(',');
    const conv = new TcpConv(50030, 22)
      .c('SSH-2.0-test\r\n')
      .s('SSH-2.0-test\r\n')
      .c(kexInit({ kex: long }));
    const tree = sshTree(decodeFrames(conv.frames), 3);
    const line = tree.split('\n').find((l) => l.includes('kex_algorithms string'))!;
    const label = line.trim().replace(/  \{.*\}$/, '');
    expect(label.startsWith('kex_algorithms string [truncated]: algorithm-number-0@example.org,')).toBe(true);
    expect(label.length).toBe(238);
  });

  it('leaves other TCP ports alone', () => {
    const conv = new TcpConv(50031, 2222).c('SSH-2.0-test\r\n').c(bytes(kexInit(), ecdhInit(), newKeys()));
    expect(lines(decodeFrames(conv.frames)).every((l) => !l.includes('SSH'))).toBe(true);
  });
});
