// The "frame" pseudo-protocol: what the capture file says about a packet, and the entry point
// that hands the bytes to the link-layer dissector. Errors are caught here, per packet, so one
// broken packet never stops the rest of the file (Wireshark shows them as [Malformed Packet]).

import { linkTypeName } from '../capture/linktypes.ts';
import { tsharkEpoch } from '../capture/time.ts';
import { CaptureState, FrameBytesMissing, Packet, PacketFlag, type FrameInput } from './packet.ts';
import { defineProtocol } from './registry.ts';
import { linkTypeTable } from './tables.ts';
import { GENERATED, TreeBuilder, type TreeSink } from './tree.ts';
import { CapturedBoundsError, MalformedError, Tvb } from './tvb.ts';

export const F = defineProtocol('frame', 'Frame', {
  'frame.number': { name: 'Frame Number', type: 'uint' },
  'frame.interface_id': { name: 'Interface id', type: 'uint' },
  'frame.time_epoch': { name: 'Epoch Time', type: 'string' },
  'frame.len': { name: 'Frame Length', type: 'uint', unit: ' bytes' },
  'frame.cap_len': { name: 'Capture Length', type: 'uint', unit: ' bytes' },
  'frame.protocols': { name: 'Protocols in frame', type: 'string' },
  'frame.comment': { name: 'Comment', type: 'string' },
  'frame.encap_type': { name: 'Encapsulation type', type: 'uint' },
});

export const M = defineProtocol('_ws.malformed', 'Malformed Packet', {});
export const S = defineProtocol('_ws.short', 'Packet size limited during capture', {});
export const B = defineProtocol('_ws.dissector_bug', 'Dissector bug', {});


/**
 * Dissects one frame. `tree` null = fast path (columns only). `visited` = the first pass already
 * saw this frame: stateful dissectors read what they stored instead of updating their state.
 * `info` false = nobody reads the Info column of this pass (see Columns.enabled).
 */
export function dissectFrame(state: CaptureState, num: number, frame: FrameInput, tree: TreeSink | null, visited: boolean, info = true): Packet {
  const p = new Packet(num, frame, state, tree, visited);
  p.cols.enabled = info;
  const capLen = frame.data.length;
  // The reported length is the length on the wire; never below what we hold.
  const tvb = new Tvb(frame.data, 0, capLen, Math.max(frame.origLen, capLen));
  p.layers.push('frame');
  if (tree) {
    const bits = (n: number) => `${n} bytes (${n * 8} bits)`;
    tree.open(F.proto, tvb, 0, capLen, null,
      `Frame ${num}: ${bits(frame.origLen)} on wire, ${bits(capLen)} captured on interface ${frame.interfaceId}`);
    tree.add(F['frame.interface_id'], tvb, 0, GENERATED, frame.interfaceId);
    tree.add(F['frame.encap_type'], tvb, 0, GENERATED, frame.linkType,
      `Encapsulation type: ${linkTypeName(frame.linkType)} (${frame.linkType})`);
    if (frame.hasTs) tree.add(F['frame.time_epoch'], tvb, 0, GENERATED, tsharkEpoch(frame.tsSec, frame.tsNsec));
    for (const c of frame.comments ?? []) tree.add(F['frame.comment'], tvb, 0, GENERATED, c);
    tree.add(F['frame.number'], tvb, 0, GENERATED, num);
    tree.add(F['frame.len'], tvb, 0, GENERATED, frame.origLen);
    tree.add(F['frame.cap_len'], tvb, 0, GENERATED, capLen);
  }
  const link = linkTypeTable.get(frame.linkType);
  tree?.close();
  try {
    if (link) link(tvb, p);
    else {
      // tshark leaves Protocol empty and shows nothing for an encapsulation it cannot decode.
      p.cols.protocol = '';
      tree?.text(tvb, 0, capLen, `Data (${capLen} bytes): link type ${linkTypeName(frame.linkType)} is not dissected`);
    }
  } catch (e) {
    // Not the packet's fault: the caller reads the missing frames and dissects it again.
    if (e instanceof FrameBytesMissing) throw e;
    (tree as { closeAll?: () => void } | null)?.closeAll?.();
    // Named like Wireshark's short protocol name ("[Malformed Packet: DNS]"): the Protocol column.
    const proto = p.cols.protocol || (p.layers[p.layers.length - 1] ?? 'frame');
    if (e instanceof CapturedBoundsError) {
      p.flags |= PacketFlag.Truncated;
      p.cols.appendInfo('[Packet size limited during capture]');
      tree?.add(S.proto, tvb, 0, 0, null, `[Packet size limited during capture: ${proto} truncated]`);
    } else {
      p.flags |= PacketFlag.Malformed;
      p.cols.appendInfo('[Malformed Packet]');
      if (e instanceof MalformedError) {
        malformedItem(tree, tvb, proto, e);
      } else {
        // A bug of ours, not of the packet: still one packet only, but say so plainly.
        const msg = e instanceof Error ? e.message : String(e);
        tree?.add(B.proto, tvb, 0, 0, null, `[Dissector bug, protocol ${proto}: ${msg}]`);
        p.flags |= PacketFlag.ExpertError;
        state.dissectorBugs++;
      }
    }
  }
  if (tree) {
    // frame.protocols is only known at the end; it belongs in the Frame subtree.
    const protocols = p.layers.join(':');
    const frameNode = tree instanceof TreeBuilder ? tree.root[0] : undefined;
    if (frameNode) {
      (frameNode.children ??= []).push({
        label: `[Protocols in frame: ${protocols}]`, field: 'frame.protocols', value: protocols, source: 0, start: 0, length: 0, generated: true,
      });
    } else tree.add(F['frame.protocols'], tvb, 0, GENERATED, protocols);
  }
  return p;
}

/** Reports the exception of one PDU as frame.ts reports one of a packet, for the caller to go on. */
export function reportPduException(p: Packet, pdu: Tvb, protocol: string, e: Error): void {
  if (e instanceof CapturedBoundsError) {
    p.flags |= PacketFlag.Truncated;
    p.cols.appendInfo('[Packet size limited during capture]');
    p.tree?.add(S.proto, pdu, 0, 0, null, `[Packet size limited during capture: ${protocol} truncated]`);
  } else {
    p.flags |= PacketFlag.Malformed;
    p.cols.appendInfo('[Malformed Packet]');
    malformedItem(p.tree, pdu, protocol, e);
  }
}

/**
 * "[Malformed Packet: TCP]" with tshark's expert item under it, and what went wrong (tshark
 * does not say; a user reading the tree wants to know which field ran out of bytes).
 */
function malformedItem(tree: TreeSink | null, tvb: Tvb, proto: string, e: Error): void {
  if (!tree) return;
  tree.open(M.proto, tvb, 0, 0, null, `[Malformed Packet: ${proto}]`);
  tree.expert('error', 'Malformed Packet (Exception occurred)', null, 0, 0, 'Malformed');
  tree.text(null, 0, 0, `[Reason: ${e.message}]`);
  tree.close();
}
