import { describe, expect, it } from 'vitest';
import { telnetConversation } from './testing/lan-frames.ts';
import { decodeFrames, lines, treeText } from './testing/packets.ts';

describe('Telnet', () => {
  const cap = decodeFrames(telnetConversation().frames);

  it('calls every segment "Telnet Data ..." as tshark 4.0.17 does', () => {
    expect(lines(cap).slice(0, 2)).toEqual([
      '    1   0.000000 198.51.100.7 → 192.0.2.1    TELNET 69 Telnet Data ...',
      '    2   0.001000    192.0.2.1 → 198.51.100.7 TELNET 72 Telnet Data ...',
    ]);
    expect(cap.rows.every((r) => r.protocol === 'TELNET' && r.info === 'Telnet Data ...')).toBe(true);
  });

  it('shows the negotiation and the typed lines — the password in clear', () => {
    const negotiation = treeText(cap.tree(2).items);
    expect(negotiation).toContain('Will Terminal Type');
    expect(negotiation).toContain('Suboption Negotiate About Window Size');
    expect(cap.fields(2).get('telnet.naws_subopt.width')).toEqual([80]);
    expect(cap.fields(4).get('telnet.string_subopt.value')).toEqual(['XTERM-256COLOR']);
    expect(treeText(cap.tree(8).items)).toContain('Data: s3cr3t\\r\\n');
    // CRs after a CR stay on their line; IAC IAC is a data byte, not a command.
    expect(cap.fields(9).get('telnet.data')).toHaveLength(3);
    expect(treeText(cap.tree(2).items)).toMatchSnapshot();
  });
});
