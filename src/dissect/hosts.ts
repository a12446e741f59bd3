// Names the capture itself gives to addresses: the answers of DNS responses (A and AAAA records),
// first answer wins. The ladder labels lifelines with them; pcapng name resolution blocks, read
// by the capture layer, come first.

import { stateSlot } from './packet.ts';

export class HostNames {
  private readonly byAddress = new Map<string, string>();
  /** Bounded: a capture full of DNS answers must not grow this without limit. */
  private static readonly MAX = 65536;

  add(address: string, name: string): void {
    if (!name || name.startsWith('<') || this.byAddress.has(address) || this.byAddress.size >= HostNames.MAX) return;
    this.byAddress.set(address, name);
  }

  get(address: string): string | undefined {
    return this.byAddress.get(address);
  }
}

export const hostNames = stateSlot(() => new HostNames());
