// A hash map keyed by one or two unsigned 32-bit numbers, for the per-packet lookups (address
// texts, TCP endpoint pairs, recurring header texts). A JS Map would do, but numbers above 2^30
// are not small integers for V8: each lookup then boxes its key and hashes a double, on every
// packet. Open addressing over typed arrays (linear probing, kept at most half full) allocates
// nothing per lookup.

export class U32Map<V> {
  private keyA: Uint32Array;
  private keyB: Uint32Array;
  private used: Uint8Array;
  private values: (V | undefined)[];
  private mask: number;
  private count = 0;

  constructor(capacity = 256) {
    let n = 16;
    while (n < capacity * 2) n *= 2;
    this.keyA = new Uint32Array(n);
    this.keyB = new Uint32Array(n);
    this.used = new Uint8Array(n);
    this.values = filledArray<V>(n);
    this.mask = n - 1;
  }

  get size(): number {
    return this.count;
  }

  get(a: number, b = 0): V | undefined {
    const i = this.slot(a >>> 0, b >>> 0);
    return this.used[i] ? this.values[i] : undefined;
  }

  set(a: number, b: number, value: V): void {
    if ((this.count + 1) * 2 > this.mask + 1) this.grow();
    a >>>= 0;
    b >>>= 0;
    const i = this.slot(a, b);
    if (!this.used[i]) {
      this.used[i] = 1;
      this.keyA[i] = a;
      this.keyB[i] = b;
      this.count++;
    }
    this.values[i] = value;
  }

  /** Index of the key's slot, or of the empty slot where it would go. */
  private slot(a: number, b: number): number {
    // Two rounds of multiply-xorshift mixing: nearby keys (ports, addresses) spread out.
    let h = Math.imul(a ^ (a >>> 16), 0x45d9f3b) ^ Math.imul(b ^ (b >>> 15), 0x2c1b3c6d);
    h = Math.imul(h ^ (h >>> 16), 0x45d9f3b);
    h ^= h >>> 16;
    const mask = this.mask;
    let i = h & mask;
    while (this.used[i] && (this.keyA[i] !== a || this.keyB[i] !== b)) i = (i + 1) & mask;
    return i;
  }

  private grow(): void {
    const { keyA, keyB, used, values } = this;
    const n = (this.mask + 1) * 2;
    this.keyA = new Uint32Array(n);
    this.keyB = new Uint32Array(n);
    this.used = new Uint8Array(n);
    this.values = filledArray<V>(n);
    this.mask = n - 1;
    for (let i = 0; i < used.length; i++) {
      if (!used[i]) continue;
      const j = this.slot(keyA[i]!, keyB[i]!);
      this.used[j] = 1;
      this.keyA[j] = keyA[i]!;
      this.keyB[j] = keyB[i]!;
      this.values[j] = values[i];
    }
  }
}

/** An array of `n` undefined values in V8's fast elements (`new Array(n)` of a large n is not). */
function filledArray<V>(n: number): (V | undefined)[] {
  const a: (V | undefined)[] = [];
  for (let i = 0; i < n; i++) a.push(undefined);
  return a;
}
