import { describe, expect, it } from 'vitest';
import { durationText, timeApartText, utcTimeText } from './text.ts';

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

describe('timeApartText', () => {
  it('is exact years apart, and signed and carried as tshark does', () => {
    expect(timeApartText({ sec: 1_000_000_000, nsec: 123 }, { sec: 1_472_003_999, nsec: 360_434_330 })).toBe('472003999.360434207');
    expect(timeApartText({ sec: 10, nsec: 500_000_000 }, { sec: 10, nsec: 0 })).toBe('-0.500000000');
    expect(timeApartText({ sec: 10, nsec: 0 }, { sec: 8, nsec: 250_000_000 })).toBe('-1.750000000');
    // A broken file's fraction past a second carries into the seconds.
    expect(timeApartText({ sec: 5, nsec: 999_999_000 }, { sec: 5, nsec: 1_000_000_000 })).toBe('0.000001000');
    expect(timeApartText({ sec: 5, nsec: 1_000_000_000 }, { sec: 5, nsec: 0 })).toBe('-0.1000000000');
    // tshark subtracts the fractions as 32-bit ints: a negative one (read from a broken file) wraps.
    expect(timeApartText({ sec: 1418145369, nsec: 999_999_999 }, { sec: 1418145370, nsec: -2147483648 })).toBe('1.1147483649');
  });
});
