// The quic_transport_parameters TLS extension (RFC 9001 §8.2): QUIC's transport parameters
// (RFC 9000 §18.2) carried in the ClientHello and EncryptedExtensions, shown as tshark 4.0 shows
// them. Only the varint encoding (draft 27 and later) is read; older drafts show the bytes.

import { quicVersionLabel } from './quic-crypto.ts';
import { F } from './tls-fields.ts';
import type { TreeSink } from './tree.ts';
import type { Tvb } from './tvb.ts';
import { quicVarint } from './quic-varint.ts';

const NAMES: Record<number, string> = {
  0x00: 'original_destination_connection_id', 0x01: 'max_idle_timeout', 0x02: 'stateless_reset_token',
  0x03: 'max_udp_payload_size', 0x04: 'initial_max_data', 0x05: 'initial_max_stream_data_bidi_local',
  0x06: 'initial_max_stream_data_bidi_remote', 0x07: 'initial_max_stream_data_uni', 0x08: 'initial_max_streams_bidi',
  0x09: 'initial_max_streams_uni', 0x0a: 'ack_delay_exponent', 0x0b: 'max_ack_delay', 0x0c: 'disable_active_migration',
  0x0d: 'preferred_address', 0x0e: 'active_connection_id_limit', 0x0f: 'initial_source_connection_id',
  0x10: 'retry_source_connection_id', 0x11: 'version_information', 0x20: 'max_datagram_frame_size',
  0x1000: 'cibir_encoding', 0x1057: 'loss_bits', 0x2ab2: 'grease_quic_bit', 0x7157: 'enable_time_stamp',
  0x7158: 'enable_time_stamp_v2', 0xde1a: 'min_ack_delay', 0x3129: 'google_user_agent',
  0x312b: 'google_key_update_not_yet_supported', 0x4752: 'google_quic_version', 0x3127: 'google_initial_rtt',
  0x312a: 'google_support_handshake_done', 0x4751: 'google_quic_params', 0x3128: 'google_connection_options',
  0xff00: 'facebook_partial_reliability', 0xff03de1a: 'min_ack_delay',
};

/** Integer parameters: their field, and the unit tshark appends to the parameter's label. */
const INTEGERS: Record<number, [field: keyof typeof F, unit: string | null]> = {
  0x01: ['tls.quic.parameter.max_idle_timeout', ' ms'],
  0x03: ['tls.quic.parameter.max_udp_payload_size', ''],
  0x04: ['tls.quic.parameter.initial_max_data', ''],
  0x05: ['tls.quic.parameter.initial_max_stream_data_bidi_local', ''],
  0x06: ['tls.quic.parameter.initial_max_stream_data_bidi_remote', ''],
  0x07: ['tls.quic.parameter.initial_max_stream_data_uni', ''],
  0x08: ['tls.quic.parameter.initial_max_streams_bidi', ''],
  0x09: ['tls.quic.parameter.initial_max_streams_uni', ''],
  0x0a: ['tls.quic.parameter.ack_delay_exponent', null],
  0x0b: ['tls.quic.parameter.max_ack_delay', ''],
  0x0e: ['tls.quic.parameter.active_connection_id_limit', ''],
  0x20: ['tls.quic.parameter.max_datagram_frame_size', ''],
  0xde1a: ['tls.quic.parameter.min_ack_delay', ''],
  0xff03de1a: ['tls.quic.parameter.min_ack_delay', ''],
  0x3127: ['tls.quic.parameter.google.initial_rtt', ' us'],
};

const BYTES: Record<number, keyof typeof F> = {
  0x00: 'tls.quic.parameter.original_destination_connection_id',
  0x0f: 'tls.quic.parameter.initial_source_connection_id',
  0x10: 'tls.quic.parameter.retry_source_connection_id',
};

/** Reserved identifiers (RFC 9000 §18.1): 31 * N + 27. */
const isGrease = (id: number) => id > 27 && (id - 27) % 31 === 0;


/** Dissects the extension's body [o, end); returns false for the pre-draft-27 encoding (not read). */
export function quicTransportParameters(tvb: Tvb, o: number, end: number, t: TreeSink): boolean {
  // Drafts up to 26 wrote a 16-bit list length and 16-bit ids and lengths.
  if (end - o >= 6 && 2 + tvb.u16(o) === end - o && 6 + tvb.u16(o + 4) <= end - o) return false;
  while (o < end) {
    const [id, idLen] = quicVarint(tvb, o);
    const [len, lenLen] = quicVarint(tvb, o + idLen);
    const body = o + idLen + lenLen;
    const hex = (digits: number) => '0x' + id.toString(16).padStart(digits, '0');
    const typeName = isGrease(id) ? 'GREASE' : id > 0xffffffff ? 'Unknown' : NAMES[id] ?? 'Unknown';
    const idText = `${typeName} (${hex(2)})`;
    const paramName = isGrease(id) ? 'GREASE' : id > 0xffffffff ? `Unknown ${hex(8)}` : NAMES[id] ?? `Unknown ${hex(4)}`;
    let label = `Parameter: ${paramName} (len=${len})`;
    const inner: (() => void)[] = [];
    inner.push(() => t.add(F['tls.quic.parameter.type'], tvb, o, idLen, id, `Type: ${idText}`));
    inner.push(() => t.add(F['tls.quic.parameter.length'], tvb, o + idLen, lenLen, len));
    const value = tvb.bytes(body, Math.min(len, tvb.remaining(body)));
    inner.push(() => t.add(F['tls.quic.parameter.value'], tvb, body, len, value));
    const integer = INTEGERS[id];
    if (integer && len > 0) {
      const [v, n] = quicVarint(tvb, body);
      inner.push(() => t.add(F[integer[0]], tvb, body, n, v));
      if (integer[1] !== null) label += ` ${v}${integer[1]}`;
    } else if (BYTES[id] !== undefined) {
      const f = BYTES[id];
      inner.push(() => t.add(F[f], tvb, body, len, value));
    } else if (id === 0x02 && len >= 16) {
      inner.push(() => t.add(F['tls.quic.parameter.stateless_reset_token'], tvb, body, 16, tvb.bytes(body, 16)));
    } else if (id === 0x11 && len >= 4) {
      for (let v = body; v + 4 <= body + len; v += 4) {
        const version = tvb.u32(v);
        const f = v === body ? F['tls.quic.parameter.vi.chosen_version'] : F['tls.quic.parameter.vi.other_version'];
        inner.push(() => t.add(f, tvb, v, 4, version, `${f.name}: ${quicVersionLabel(version)}`));
      }
    } else if (id === 0x3129) {
      const ua = tvb.latin1(body, Math.min(len, tvb.remaining(body)));
      inner.push(() => t.add(F['tls.quic.parameter.google.user_agent'], tvb, body, len, ua));
    }
    t.text(tvb, o, idLen + lenLen + len, label, true);
    for (const add of inner) add();
    t.close();
    o = body + len;
  }
  return true;
}
