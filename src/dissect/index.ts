// Imports every protocol module so that each registers its fields and dissector-table entries.
// Import this (not individual protocols) wherever packets are dissected.

import './eth.ts';
import './ip.ts';
import './ipv6.ts'; import './ipv6-ext.ts'; import './llc.ts'; import './vlan.ts'; import './loop.ts'; import './sll.ts'; import './sll2.ts'; import './null.ts'; import './raw.ts'; import './nflog.ts'; import './ppp.ts'; import './gre.ts'; import './mpls.ts'; import './pppoe.ts'; import './arp.ts'; import './icmp.ts'; import './icmpv6.ts';
import './tcp.ts';
import './udp.ts';
import './vxlan.ts';
import './geneve.ts';
import './dns.ts';
import './dhcp.ts';
import './ntp.ts';
import './db-lsp-disc.ts';
import './nbns.ts';
import './dhcpv6.ts';
import './ssdp.ts';
import './ftp.ts';
import './ssh.ts';
import './tls.ts';
import './http.ts';
import './quic.ts';
import './wlan.ts';
import './radiotap.ts';
import './eapol.ts';
import './igmp.ts';
import './stp.ts';
import './lldp.ts';
import './cdp.ts';
import './telnet.ts';
import './sip.ts';
import './mbtcp.ts';
import './tpkt.ts';
import './rip.ts';
import './ospf.ts';

export { dissectFrame } from './frame.ts';
export { CaptureState, FrameBytesMissing, Packet, PacketFlag, type FrameInput, type TcpSummary } from './packet.ts';
export { TreeBuilder, FieldCollector, type TreeItem } from './tree.ts';
export { allFields, fieldByName, type FieldDef } from './registry.ts';
