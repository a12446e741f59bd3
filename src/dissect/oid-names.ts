// Names of object identifiers as tshark prints them after the dotted form ("2.5.4.3
// (id-at-commonName)"): the ASN.1 names of RFC 5280 §4.1–4.2 and Appendix A (attribute types,
// extensions, policy qualifiers, key purposes, access methods), RFC 3279/4055/5480/5758 (key and
// signature algorithms, named curves), RFC 2985 (PKCS #9), RFC 6962 §3.3 (CT) and the EV
// jurisdiction attributes. An OID without a name of its own is named after its longest named
// prefix, the rest in digits, as tshark does ("1.3.6.1.4.1.6449.1.2.1.3.4" → "iso.3.6.1.4.1.6449…").

const NAMES: Record<string, string> = {
  // Arcs that only prefix other names.
  '0': 'itu-t',
  '1': 'iso',
  '2': 'joint-iso-itu-t',
  '2.16.840.1': 'US company arc',
  // X.520 attribute types (RFC 5280 Appendix A.1).
  '2.5.4.3': 'id-at-commonName',
  '2.5.4.4': 'id-at-surname',
  '2.5.4.5': 'id-at-serialNumber',
  '2.5.4.6': 'id-at-countryName',
  '2.5.4.7': 'id-at-localityName',
  '2.5.4.8': 'id-at-stateOrProvinceName',
  '2.5.4.9': 'id-at-streetAddress',
  '2.5.4.10': 'id-at-organizationName',
  '2.5.4.11': 'id-at-organizationalUnitName',
  '2.5.4.12': 'id-at-title',
  '2.5.4.13': 'id-at-description',
  '2.5.4.15': 'id-at-businessCategory',
  '2.5.4.17': 'id-at-postalCode',
  '2.5.4.42': 'id-at-givenName',
  '2.5.4.43': 'id-at-initials',
  '2.5.4.44': 'id-at-generationQualifier',
  '2.5.4.46': 'id-at-dnQualifier',
  '2.5.4.65': 'id-at-pseudonym',
  '1.2.840.113549.1.9.1': 'pkcs-9-at-emailAddress',
  '1.3.6.1.4.1.311.60.2.1.1': 'jurisdictionOfIncorporationLocalityName',
  '1.3.6.1.4.1.311.60.2.1.2': 'jurisdictionOfIncorporationStateOrProvinceName',
  '1.3.6.1.4.1.311.60.2.1.3': 'jurisdictionOfIncorporationCountryName',
  // Key and signature algorithms, curves.
  '1.2.840.113549.1.1.1': 'rsaEncryption',
  '1.2.840.113549.1.1.2': 'md2WithRSAEncryption',
  '1.2.840.113549.1.1.4': 'md5WithRSAEncryption',
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.2.840.113549.1.1.10': 'id-RSASSA-PSS',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  '1.2.840.113549.1.1.14': 'sha224WithRSAEncryption',
  '1.2.840.10045.2.1': 'id-ecPublicKey',
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
  '1.2.840.10045.4.3.1': 'ecdsa-with-SHA224',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  '1.2.840.10045.3.1.7': 'secp256r1',
  '1.3.132.0.34': 'secp384r1',
  '1.3.132.0.35': 'secp521r1',
  // Certificate extensions (RFC 5280 §4.2).
  '2.5.29.14': 'id-ce-subjectKeyIdentifier',
  '2.5.29.15': 'id-ce-keyUsage',
  '2.5.29.17': 'id-ce-subjectAltName',
  '2.5.29.18': 'id-ce-issuerAltName',
  '2.5.29.19': 'id-ce-basicConstraints',
  '2.5.29.31': 'id-ce-cRLDistributionPoints',
  '2.5.29.32': 'id-ce-certificatePolicies',
  '2.5.29.32.0': 'anyPolicy',
  '2.5.29.35': 'id-ce-authorityKeyIdentifier',
  '2.5.29.37': 'id-ce-extKeyUsage',
  '1.3.6.1.5.5.7.1.1': 'id-pe-authorityInfoAccess',
  '1.3.6.1.4.1.11129.2.4.2': 'SignedCertificateTimestampList',
  '1.3.6.1.5.5.7.2.1': 'id-qt-cps',
  '1.3.6.1.5.5.7.2.2': 'id-qt-unotice',
  '1.3.6.1.5.5.7.3.1': 'id-kp-serverAuth',
  '1.3.6.1.5.5.7.3.2': 'id-kp-clientAuth',
  '1.3.6.1.5.5.7.3.3': 'id-kp-codeSigning',
  '1.3.6.1.5.5.7.3.4': 'id-kp-emailProtection',
  '1.3.6.1.5.5.7.3.8': 'id-kp-timeStamping',
  '1.3.6.1.5.5.7.3.9': 'id-kp-OCSPSigning',
  '1.3.6.1.5.5.7.48.1': 'id-ad-ocsp',
  '1.3.6.1.5.5.7.48.2': 'id-ad-caIssuers',
};

/** The OID's own name, or undefined. */
export function oidName(dotted: string): string | undefined {
  return NAMES[dotted];
}

/** tshark's resolved form: the name, or the longest named prefix and the remaining arcs. */
export function oidResolved(dotted: string): string {
  const own = NAMES[dotted];
  if (own) return own;
  for (let cut = dotted.lastIndexOf('.'); cut > 0; cut = dotted.lastIndexOf('.', cut - 1)) {
    const prefix = NAMES[dotted.slice(0, cut)];
    if (prefix) return prefix + dotted.slice(cut);
  }
  return dotted;
}

/** "2.5.4.3 (id-at-commonName)". */
export function oidLabel(dotted: string): string {
  return `${dotted} (${oidResolved(dotted)})`;
}
