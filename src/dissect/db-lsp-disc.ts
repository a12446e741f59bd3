// Dropbox's LAN sync discovery (filter name db-lsp-disc): the broadcasts a Dropbox client sends
// to UDP port 17500 to find its peers on the LAN, one JSON object per datagram
// ({"host_int": …, "version": [2, 0], "namespaces": […], "port": 17500, …}). Common in office
// and home captures; tshark names them and shows the JSON.

import { jsonTree } from './json.ts';
import type { Packet } from './packet.ts';
import { defineProtocol } from './registry.ts';
import { udpPortTable } from './tables.ts';
import type { Tvb } from './tvb.ts';

const F = defineProtocol('db-lsp-disc', 'Dropbox LAN sync Discovery Protocol', {});

function dissectDbLspDisc(tvb: Tvb, p: Packet): boolean {
  p.layers.push('db-lsp-disc', 'json');
  // The JSON dissector appends its name to both columns.
  p.cols.protocol = 'DB-LSP-DISC/JSON';
  p.cols.setInfo('Dropbox LAN sync Discovery Protocol, JavaScript Object Notation');
  const t = p.tree;
  if (t) {
    t.open(F.proto, tvb, 0, tvb.length, null);
    jsonTree(tvb, t, null);
    t.close();
  }
  return true;
}

udpPortTable.add(17500, dissectDbLspDisc);
