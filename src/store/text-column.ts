// A column of texts (the Info column) kept as UTF-8 in one growing byte buffer with offsets.
// Half a million JS strings kept alive cost ~200 bytes each on the JS heap and make every
// garbage collection trace them; here each text costs its bytes plus 4, off the traced heap,
// and is turned back into a string only for the rows on screen.

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class TextColumn {
  private bytes = new Uint8Array(1 << 20);
  private ends = new Uint32Array(1 << 16);
  private used = 0;
  count = 0;

  push(s: string): void {
    if (this.count === this.ends.length) {
      const e = new Uint32Array(this.ends.length * 2);
      e.set(this.ends);
      this.ends = e;
    }
    // UTF-8 needs at most 3 bytes per UTF-16 code unit.
    const need = this.used + s.length * 3;
    if (need > this.bytes.length) {
      const b = new Uint8Array(Math.max(need, this.bytes.length * 2));
      b.set(this.bytes.subarray(0, this.used));
      this.bytes = b;
    }
    const { written } = encoder.encodeInto(s, this.bytes.subarray(this.used));
    this.used += written;
    this.ends[this.count++] = this.used;
  }

  get(i: number): string {
    if (i < 0 || i >= this.count) return '';
    const start = i === 0 ? 0 : this.ends[i - 1]!;
    return decoder.decode(this.bytes.subarray(start, this.ends[i]!));
  }

  /** Compares texts i and j by their UTF-8 bytes (code point order), without making strings. */
  compare(i: number, j: number): number {
    const a0 = i === 0 ? 0 : this.ends[i - 1]!;
    const b0 = j === 0 ? 0 : this.ends[j - 1]!;
    const a1 = this.ends[i]!;
    const b1 = this.ends[j]!;
    const b = this.bytes;
    const n = Math.min(a1 - a0, b1 - b0);
    for (let k = 0; k < n; k++) {
      const d = b[a0 + k]! - b[b0 + k]!;
      if (d) return d;
    }
    return a1 - a0 - (b1 - b0);
  }

  byteLength(): number {
    return this.bytes.byteLength + this.ends.byteLength;
  }
}
