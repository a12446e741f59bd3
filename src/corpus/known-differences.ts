// Differences from tshark 4.0 that we keep on purpose, undone before comparing our Info column
// with the corpus references (which tshark 4.0 made).

/**
 * " (SNI=example.com)" after "Client Hello": the product asks for the server name in the Info
 * column, as Wireshark 4.2 and later print it. tshark 4.0 does not, so the comparison strips it
 * from our Info.
 */
const SNI = / \(SNI=[^)]*\)/g;

export function normalizeKnownDifferences(info: string): string {
  return info.includes(' (SNI=') ? info.replace(SNI, '') : info;
}
