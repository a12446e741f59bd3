// Timestamp helpers shared by the readers, the CLI and the tests.

/**
 * Decimal digits a resolution supports: floor(log10(unitsPerSec)), at most 9.
 * 10^-k → k; 2^-8 (256 units/s) → 2; 2^-10 → 3; 2^-20 → 6; 2^-30 → 9.
 * Same rule as Wireshark (wiretap/pcapng.c: "units >= 10^k").
 */
export function timestampPrecision(unitsPerSec: bigint): number {
  let p = 0;
  let v = unitsPerSec;
  while (v >= 10n && p < 9) {
    v /= 10n;
    p++;
  }
  return p;
}

/**
 * tshark/Wireshark 4.0 only has the precisions 0, 1, 2, 3, 6 and 9 (WTAP_TSPREC_*): a
 * resolution of 10^-4 or 10^-5 is shown with 3 decimals, 10^-7 or 10^-8 with 6. (4.2+ shows
 * every k.) Use this to match tshark 4.0's summary-line time column.
 */
export function tshark40Precision(precision: number): number {
  if (precision >= 9) return 9;
  if (precision >= 6) return 6;
  if (precision >= 3) return 3;
  return precision < 0 ? 0 : precision;
}

/**
 * The frame.time_epoch text tshark 4.0 prints for a record (always 9 decimals; '' without a
 * timestamp, i.e. pcapng Simple Packet Blocks).
 *
 * Reproduces wiretap's arithmetic on broken timestamps: the nanoseconds are held in a C int, so
 * a classic-pcap µs value is multiplied by 1000 modulo 2^32 and anything ≥ 2^31 turns negative,
 * which tshark prints as "-<sec>.<|nsec|>" (see corpus timestamp_invalid_{micro,nano}.pcap).
 * A value in [1e9, 2^31) is printed as is, with 10 digits ("1418145370.1000000000").
 * We keep the file's own numbers in PacketRecord (tsNsec may be ≥ 1e9); only this view wraps.
 */
export function tsharkEpoch(tsSec: number, tsNsec: number, hasTs = true): string {
  if (!hasTs) return '';
  let ns = tsNsec % 4294967296;
  if (ns >= 2147483648) ns -= 4294967296;
  if (ns < 0) {
    const abs = String(-ns).padStart(9, '0');
    return tsSec >= 0 ? `-${tsSec}.${abs}` : `${tsSec}.${abs}`;
  }
  return `${tsSec}.${String(ns).padStart(9, '0')}`;
}
