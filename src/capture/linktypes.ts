// LINKTYPE_* values as written in pcap headers and pcapng IDBs (tcpdump.org/linktypes.html,
// draft-ietf-opsawg-pcaplinktype). Only the common ones; anything else prints as LINKTYPE_<n>.

export const LINKTYPE = {
  NULL: 0,
  ETHERNET: 1,
  AX25: 3,
  IEEE802_5: 6,
  ARCNET_BSD: 7,
  SLIP: 8,
  PPP: 9,
  FDDI: 10,
  /** BSD/OS (some OpenBSD) raw IP, DLT_RAW = 12 on those systems. */
  RAW_BSD12: 12,
  /** DLT_RAW = 14 on OpenBSD. */
  RAW_BSD14: 14,
  PPP_HDLC: 50,
  PPP_ETHER: 51,
  ATM_RFC1483: 100,
  RAW: 101,
  C_HDLC: 104,
  IEEE802_11: 105,
  FRELAY: 107,
  LOOP: 108,
  LINUX_SLL: 113,
  LTALK: 114,
  PFLOG: 117,
  IEEE802_11_PRISM: 119,
  IP_OVER_FC: 122,
  SUNATM: 123,
  IEEE802_11_RADIOTAP: 127,
  ARCNET_LINUX: 129,
  USER0: 147,
  USER13: 160,
  USER15: 162,
  IEEE802_11_AVS: 163,
  BACNET_MS_TP: 165,
  PPP_PPPD: 166,
  GPRS_LLC: 169,
  LINUX_LAPD: 177,
  BLUETOOTH_HCI_H4: 187,
  USB_LINUX: 189,
  PPI: 192,
  IEEE802_15_4_WITHFCS: 195,
  SITA: 196,
  ERF: 197,
  BLUETOOTH_HCI_H4_WITH_PHDR: 201,
  AX25_KISS: 202,
  LAPD: 203,
  PPP_WITH_DIR: 204,
  C_HDLC_WITH_DIR: 205,
  IPMB_LINUX: 209,
  USB_LINUX_MMAPPED: 220,
  IEEE802_15_4_NOFCS: 230,
  DBUS: 231,
  DVB_CI: 235,
  MUX27010: 236,
  STANAG_5066_D_PDU: 237,
  NFLOG: 239,
  NETANALYZER: 240,
  NETANALYZER_TRANSPARENT: 241,
  IPOIB: 242,
  MPEG_2_TS: 243,
  NG40: 244,
  NFC_LLCP: 245,
  INFINIBAND: 247,
  SCTP: 248,
  USBPCAP: 249,
  RTAC_SERIAL: 250,
  BLUETOOTH_LE_LL: 251,
  NETLINK: 253,
  BLUETOOTH_LINUX_MONITOR: 254,
  BLUETOOTH_BREDR_BB: 255,
  BLUETOOTH_LE_LL_WITH_PHDR: 256,
  PROFIBUS_DL: 257,
  PKTAP: 258,
  EPON: 259,
  IPMI_HPM_2: 260,
  ZWAVE_R1_R2: 261,
  ZWAVE_R3: 262,
  WATTSTOPPER_DLM: 263,
  ISO_14443: 264,
  RDS: 265,
  USB_DARWIN: 266,
  SDLC: 268,
  LORATAP: 270,
  VSOCK: 271,
  NORDIC_BLE: 272,
  DOCSIS31_XRA31: 273,
  ETHERNET_MPACKET: 274,
  DISPLAYPORT_AUX: 275,
  LINUX_SLL2: 276,
  OPENVIZSLA: 278,
  EBHSCR: 279,
  VPP_DISPATCH: 280,
  DSA_TAG_BRCM: 281,
  DSA_TAG_BRCM_PREPEND: 282,
  IEEE802_15_4_TAP: 283,
  DSA_TAG_DSA: 284,
  DSA_TAG_EDSA: 285,
  ELEE: 286,
  Z_WAVE_SERIAL: 287,
  USB_2_0: 288,
  ATSC_ALP: 289,
  ETW: 290,
  ZBOSS_NCP: 292,
  USB_2_0_LOW_SPEED: 293,
  USB_2_0_FULL_SPEED: 294,
  USB_2_0_HIGH_SPEED: 295,
  AUERSWALD_LOG: 296,
  ZWAVE_TAP: 297,
  SILABS_DEBUG_CHANNEL: 298,
  FIRA_UCI: 299,
  MDB: 300,
  /** Plain IPv4 packets (no link-layer header). */
  IPV4: 228,
  /** Plain IPv6 packets (no link-layer header). */
  IPV6: 229,
} as const;

const NAMES = new Map<number, string>();
for (const [name, value] of Object.entries(LINKTYPE)) {
  // First name wins when two share a number (none do today).
  if (!NAMES.has(value)) NAMES.set(value, name);
}

/** "ETHERNET", "LINUX_SLL2", … or "LINKTYPE_<n>" for numbers not in the table. */
export function linkTypeName(linkType: number): string {
  return NAMES.get(linkType) ?? `LINKTYPE_${linkType}`;
}

/** True when the link type carries bare IP packets (version nibble tells v4 from v6). */
export function isRawIpLinkType(linkType: number): boolean {
  return (
    linkType === LINKTYPE.RAW ||
    linkType === LINKTYPE.RAW_BSD12 ||
    linkType === LINKTYPE.RAW_BSD14 ||
    linkType === LINKTYPE.IPV4 ||
    linkType === LINKTYPE.IPV6
  );
}
