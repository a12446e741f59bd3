// The "frame" pseudo-protocol: what the capture file says about a packet, and the entry point
// that hands the bytes to the link-layer dissector. Errors are caught here, per packet, so one
// broken packet never stops the rest of the file (Wireshark shows them as [Malformed Packet]).

import { linkTypeName } from '../capture/linktypes.ts';
import { tsharkEpoch } from '../capture/time.ts';
import { CaptureState, FrameBytesMissing, Packet, PacketFlag, type FrameInput } from './packet.ts';
import { bitPattern, defineProtocol } from './registry.ts';
import { linkTypeTable } from './tables.ts';
import { GENERATED, TreeBuilder, type TreeSink } from './tree.ts';
import { CapturedBoundsError, MalformedError, Tvb } from './tvb.ts';
import { timeApartSeconds, timeApartText, utcTimeText } from './text.ts';
import { fitLabel } from './text-tvb.ts';

const SET_NOT_SET = ['Set', 'Not set'] as const;

export const F = defineProtocol('frame', 'Frame', {
  'frame.section_number': { name: 'Section number', type: 'uint' },
  'frame.interface_id': { name: 'Interface id', type: 'uint' },
  'frame.interface_name': { name: 'Interface name', type: 'string' },
  'frame.interface_description': { name: 'Interface description', type: 'string' },
  'frame.encap_type': { name: 'Encapsulation type', type: 'int' },
  'frame.time': { name: 'Arrival Time', type: 'string' },
  'frame.offset_shift': { name: 'Time shift for this packet', type: 'reltime' },
  'frame.time_epoch': { name: 'Epoch Time', type: 'string' },
  'frame.time_delta': { name: 'Time delta from previous captured frame', type: 'reltime' },
  'frame.time_delta_displayed': { name: 'Time delta from previous displayed frame', type: 'reltime' },
  'frame.time_relative': { name: 'Time since reference or first frame', type: 'reltime' },
  'frame.number': { name: 'Frame Number', type: 'uint' },
  'frame.len': { name: 'Frame Length', type: 'uint', unit: ' bytes' },
  'frame.cap_len': { name: 'Capture Length', type: 'uint', unit: ' bytes' },
  'frame.marked': { name: 'Frame is marked', type: 'bool' },
  'frame.ignored': { name: 'Frame is ignored', type: 'bool' },
  'frame.protocols': { name: 'Protocols in frame', type: 'string' },
  'frame.comment': { name: 'Comment', type: 'string' },
  'frame.drop_count': { name: 'Drop Count', type: 'uint' },
  // pcapng §4.3.1 epb_flags: direction, reception type, FCS length, link-layer errors.
  'frame.packet_flags': { name: 'Packet flags', type: 'uint', base: 'hex', bits: 32 },
  'frame.packet_flags_direction': { name: 'Direction', type: 'uint', mask: 0x00000003, bits: 32 },
  'frame.packet_flags_reception_type': { name: 'Reception type', type: 'uint', mask: 0x0000001c, bits: 32 },
  'frame.packet_flags_fcs_length': { name: 'FCS length', type: 'uint', mask: 0x000001e0, bits: 32 },
  'frame.packet_flags_reserved': { name: 'Reserved', type: 'uint', mask: 0x0000fe00, bits: 32 },
  'frame.packet_flags_crc_error': { name: 'CRC error', type: 'bool', mask: 0x01000000, bits: 32, tfs: SET_NOT_SET },
  'frame.packet_flags_packet_too_error': { name: 'Packet too long error', type: 'bool', mask: 0x02000000, bits: 32, tfs: SET_NOT_SET },
  'frame.packet_flags_packet_too_short_error': { name: 'Packet too short error', type: 'bool', mask: 0x04000000, bits: 32, tfs: SET_NOT_SET },
  'frame.packet_flags_wrong_inter_frame_gap_error': { name: 'Wrong interframe gap error', type: 'bool', mask: 0x08000000, bits: 32, tfs: SET_NOT_SET },
  'frame.packet_flags_unaligned_frame_error': { name: 'Unaligned frame error', type: 'bool', mask: 0x10000000, bits: 32, tfs: SET_NOT_SET },
  'frame.packet_flags_start_frame_delimiter_error': { name: 'Start frame delimiter error', type: 'bool', mask: 0x20000000, bits: 32, tfs: SET_NOT_SET },
  'frame.packet_flags_preamble_error': { name: 'Preamble error', type: 'bool', mask: 0x40000000, bits: 32, tfs: SET_NOT_SET },
  'frame.packet_flags_symbol_error': { name: 'Symbol error', type: 'bool', mask: 0x80000000, bits: 32, tfs: SET_NOT_SET },
});

/** tshark's top-level "Packet comments" item (pcapng §4.3 opt_comment of the packet). */
export const PKT_COMMENT = defineProtocol('pkt_comment', 'Packet comments', {});

const DIRECTIONS = ['Unknown', 'Inbound', 'Outbound', 'Undefined'];
const RECEPTION_TYPES = ['Not specified', 'Unicast', 'Multicast', 'Broadcast', 'Promiscuous'];
const LINK_ERRORS: (keyof typeof F)[] = [
  'frame.packet_flags_crc_error', 'frame.packet_flags_packet_too_error', 'frame.packet_flags_packet_too_short_error',
  'frame.packet_flags_wrong_inter_frame_gap_error', 'frame.packet_flags_unaligned_frame_error',
  'frame.packet_flags_start_frame_delimiter_error', 'frame.packet_flags_preamble_error', 'frame.packet_flags_symbol_error',
];

/** Wiretap's encapsulation (number, name) of the link types we read: what tshark's Frame subtree names. */
const ENCAPSULATIONS: Record<number, [number, string]> = {
  0: [15, 'NULL/Loopback'], 1: [1, 'Ethernet'], 8: [3, 'SLIP'], 9: [4, 'PPP'], 50: [4, 'PPP'], 101: [7, 'Raw IP'],
  105: [20, 'IEEE 802.11 Wireless LAN'], 108: [174, 'OpenBSD loopback'], 113: [25, 'Linux cooked-mode capture v1'],
  127: [23, 'IEEE 802.11 plus radiotap radio header'], 228: [129, 'Raw IPv4'], 229: [130, 'Raw IPv6'], 231: [146, 'D-Bus'],
  239: [141, 'NFLOG'], 276: [210, 'Linux cooked-mode capture v2'],
};

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
    // tshark shows a packet's comments first, each with a comment expert item.
    if (frame.comments?.length) {
      tree.open(PKT_COMMENT.proto, tvb, 0, 0, null, 'Packet comments');
      for (const c of frame.comments) {
        tree.open(F['frame.comment'], tvb, 0, 0, c, c);
        tree.expert('comment', c, tvb, 0, 0, 'Comment');
        tree.close();
      }
      tree.close();
    }
    frameTree(tree, tvb, state, num, frame);
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
    // tshark lists the protocols below the frame itself.
    const protocols = (p.layers[0] === 'frame' ? p.layers.slice(1) : p.layers).join(':');
    const frameNode = tree instanceof TreeBuilder ? tree.root.find((i) => i.field === 'frame') : undefined;
    if (frameNode) {
      (frameNode.children ??= []).push({
        // A long list is cut as tshark cuts a label ("[Protocols in frame [truncated]: …").
        label: `[${fitLabel(`Protocols in frame: ${protocols}`, 'Protocols in frame'.length)}]`, field: 'frame.protocols', value: protocols, source: 0, start: 0, length: 0, generated: true,
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


/** The Frame subtree, as tshark 4.0 lays it out (the details pane's first layer). */
function frameTree(tree: TreeSink, tvb: Tvb, state: CaptureState, num: number, frame: FrameInput): void {
  const capLen = frame.data.length;
  const bits = (n: number) => `${n} bytes (${n * 8} bits)`;
  const iface = state.pcapngInterfaces?.[frame.interfaceId];
  const ifName = iface ? iface.name ?? 'unknown' : '';
  tree.open(F.proto, tvb, 0, capLen, null,
    `Frame ${num}: ${frame.origLen} bytes on wire (${frame.origLen * 8} bits), ${capLen} bytes captured (${capLen * 8} bits)` +
      (iface ? ` on interface ${ifName}, id ${frame.interfaceId}` : ''));
  // pcapng §4.2: the interface a packet came in on (a classic pcap has one, unnamed: tshark says nothing).
  if (iface) {
    tree.add(F['frame.section_number'], tvb, 0, 0, iface.sectionIndex + 1, `Section number: ${iface.sectionIndex + 1}`);
    tree.open(F['frame.interface_id'], tvb, 0, 0, frame.interfaceId, `Interface id: ${frame.interfaceId} (${ifName})`);
    tree.add(F['frame.interface_name'], tvb, 0, 0, ifName, `Interface name: ${ifName}`);
    if (iface.description !== undefined) tree.add(F['frame.interface_description'], tvb, 0, 0, iface.description, `Interface description: ${iface.description}`);
    tree.close();
  }
  if (frame.epbFlags !== undefined) packetFlagsTree(tree, tvb, frame.epbFlags);
  const encap = ENCAPSULATIONS[frame.linkType];
  tree.add(F['frame.encap_type'], tvb, 0, 0, encap ? encap[0] : frame.linkType,
    encap ? `Encapsulation type: ${encap[1]} (${encap[0]})` : `Encapsulation type: ${linkTypeName(frame.linkType)} (${frame.linkType})`);
  if (frame.hasTs) {
    // Times as tshark prints them: UTC, to the nanosecond, deltas exact (the first frame may be years away).
    const now = { sec: frame.tsSec, nsec: frame.tsNsec };
    const before = (num > 1 ? state.frameTime(num - 1) : undefined) ?? now;
    const start = state.frameTime(1) ?? now;
    tree.add(F['frame.time'], tvb, 0, 0, utcTimeText(frame.tsSec, frame.tsNsec), `Arrival Time: ${utcTimeText(frame.tsSec, frame.tsNsec)}`);
    tree.add(F['frame.offset_shift'], tvb, 0, GENERATED, 0, '[Time shift for this packet: 0.000000000 seconds]');
    const epoch = tsharkEpoch(frame.tsSec, frame.tsNsec);
    tree.add(F['frame.time_epoch'], tvb, 0, 0, epoch, `Epoch Time: ${epoch} seconds`);
    const delta = timeApartText(before, now);
    tree.add(F['frame.time_delta'], tvb, 0, GENERATED, timeApartSeconds(before, now), `[Time delta from previous captured frame: ${delta} seconds]`);
    tree.add(F['frame.time_delta_displayed'], tvb, 0, GENERATED, timeApartSeconds(before, now), `[Time delta from previous displayed frame: ${delta} seconds]`);
    tree.add(F['frame.time_relative'], tvb, 0, GENERATED, timeApartSeconds(start, now), `[Time since reference or first frame: ${timeApartText(start, now)} seconds]`);
  }
  tree.add(F['frame.number'], tvb, 0, 0, num, `Frame Number: ${num}`);
  tree.add(F['frame.len'], tvb, 0, 0, frame.origLen, `Frame Length: ${bits(frame.origLen)}`);
  tree.add(F['frame.cap_len'], tvb, 0, 0, capLen, `Capture Length: ${bits(capLen)}`);
  if (frame.dropCount !== undefined) tree.add(F['frame.drop_count'], tvb, 0, 0, frame.dropCount, `Drop Count: ${frame.dropCount}`);
  tree.add(F['frame.marked'], tvb, 0, GENERATED, false, '[Frame is marked: False]');
  tree.add(F['frame.ignored'], tvb, 0, GENERATED, false, '[Frame is ignored: False]');
  tree.close();
}

/** An Enhanced Packet Block's flags word (pcapng §4.3.1, epb_flags) as tshark lays it out. */
function packetFlagsTree(tree: TreeSink, tvb: Tvb, flags: number): void {
  tree.open(F['frame.packet_flags'], tvb, 0, 0, flags, `Packet flags: 0x${flags.toString(16).padStart(8, '0')}`);
  const direction = flags & 3;
  const reception = (flags >>> 2) & 7;
  tree.add(F['frame.packet_flags_direction'], tvb, 0, 0, direction,
    `${bitPattern(0x3, 32, direction)}Direction: ${DIRECTIONS[direction]} (0x${direction.toString(16)})`);
  tree.add(F['frame.packet_flags_reception_type'], tvb, 0, 0, reception,
    `${bitPattern(0x1c, 32, reception << 2)}Reception type: ${RECEPTION_TYPES[reception] ?? 'Unknown'} (${reception})`);
  tree.add(F['frame.packet_flags_fcs_length'], tvb, 0, 0, (flags >>> 5) & 0xf);
  tree.add(F['frame.packet_flags_reserved'], tvb, 0, 0, (flags >>> 9) & 0x7f);
  for (const f of LINK_ERRORS) tree.add(F[f], tvb, 0, 0, (flags & F[f].mask!) !== 0);
  tree.close();
}
