import { describe, expect, it } from 'vitest';
import { durationText, utcTimeText } from './text.ts';

describe('time texts', () => {
  it('writes durations as Wireshark does', () => {
    expect(durationText(0)).toBe('0 seconds');
    expect(durationText(3150)).toBe('52 minutes, 30 seconds');
    expect(durationText(3600)).toBe('1 hour');
    expect(durationText(90061)).toBe('1 day, 1 hour, 1 minute, 1 second');
  });

  it('writes UTC times with nanoseconds and a space-padded day', () => {
    expect(utcTimeText(1439753148, 749582159)).toBe('Aug 16, 2015 19:25:48.749582159 UTC');
    expect(utcTimeText(2085978496)).toBe('Feb  7, 2036 06:28:16.000000000 UTC');
  });
});
