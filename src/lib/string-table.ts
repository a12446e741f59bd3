// Interned texts: each distinct string stored once and referred to by a small integer, so
// that typed-array columns can hold texts. No DOM: used by the packet store and the dissectors' tables.

/** Interns strings (addresses, protocol names, HTTP targets): one copy each, referred to by index. */
export class StringTable {
  readonly values: string[] = [];
  private readonly index = new Map<string, number>();

  intern(s: string): number {
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.values.length;
      this.values.push(s);
      this.index.set(s, i);
    }
    return i;
  }

  get(i: number): string {
    return this.values[i] ?? '';
  }
}
