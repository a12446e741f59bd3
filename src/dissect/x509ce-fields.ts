// X.509 certificate extensions' fields (RFC 5280 §4.2), with tshark's names (tshark -G fields).

import { defineProtocol } from './registry.ts';

/** KeyUsage's bits (RFC 5280 §4.2.1.3), named by bit number: bit 0 is the first byte's top bit. */
export const KEY_USAGE_BITS = [
  'digitalSignature', 'contentCommitment', 'keyEncipherment', 'dataEncipherment', 'keyAgreement', 'keyCertSign',
  'cRLSign', 'encipherOnly', 'decipherOnly',
] as const;

export const F = defineProtocol('x509ce', 'X.509 Certificate Extensions', {
  'x509ce.AuthorityKeyIdentifier_element': { name: 'AuthorityKeyIdentifier', type: 'none' },
  'x509ce.keyIdentifier': { name: 'keyIdentifier', type: 'bytes' },
  'x509ce.authorityCertIssuer': { name: 'authorityCertIssuer', type: 'uint' },
  'x509ce.authorityCertSerialNumber': { name: 'authorityCertSerialNumber', type: 'bytes' },
  'x509ce.SubjectKeyIdentifier': { name: 'SubjectKeyIdentifier', type: 'bytes' },
  'x509ce.KeyUsage': { name: 'KeyUsage', type: 'bytes' },
  'x509ce.KeyUsage.digitalSignature': { name: 'digitalSignature', type: 'bool' },
  'x509ce.KeyUsage.contentCommitment': { name: 'contentCommitment', type: 'bool' },
  'x509ce.KeyUsage.keyEncipherment': { name: 'keyEncipherment', type: 'bool' },
  'x509ce.KeyUsage.dataEncipherment': { name: 'dataEncipherment', type: 'bool' },
  'x509ce.KeyUsage.keyAgreement': { name: 'keyAgreement', type: 'bool' },
  'x509ce.KeyUsage.keyCertSign': { name: 'keyCertSign', type: 'bool' },
  'x509ce.KeyUsage.cRLSign': { name: 'cRLSign', type: 'bool' },
  'x509ce.KeyUsage.encipherOnly': { name: 'encipherOnly', type: 'bool' },
  'x509ce.KeyUsage.decipherOnly': { name: 'decipherOnly', type: 'bool' },
  'x509ce.BasicConstraintsSyntax_element': { name: 'BasicConstraintsSyntax', type: 'none' },
  'x509ce.cA': { name: 'cA', type: 'bool' },
  'x509ce.pathLenConstraint': { name: 'pathLenConstraint', type: 'uint' },
  'x509ce.KeyPurposeIDs': { name: 'KeyPurposeIDs', type: 'uint' },
  'x509ce.KeyPurposeId': { name: 'KeyPurposeId', type: 'string' },
  'x509ce.CertificatePoliciesSyntax': { name: 'CertificatePoliciesSyntax', type: 'uint' },
  'x509ce.PolicyInformation_element': { name: 'PolicyInformation', type: 'none' },
  'x509ce.policyIdentifier': { name: 'policyIdentifier', type: 'string' },
  'x509ce.policyQualifiers': { name: 'policyQualifiers', type: 'uint' },
  'x509ce.PolicyQualifierInfo_element': { name: 'PolicyQualifierInfo', type: 'none' },
  'x509ce.id': { name: 'Id', type: 'string' },
  'x509ce.CRLDistPointsSyntax': { name: 'CRLDistPointsSyntax', type: 'uint' },
  'x509ce.DistributionPoint_element': { name: 'DistributionPoint', type: 'none' },
  'x509ce.distributionPoint': { name: 'distributionPoint', type: 'uint' },
  'x509ce.fullName': { name: 'fullName', type: 'uint' },
  'x509ce.GeneralNames': { name: 'GeneralNames', type: 'uint' },
  'x509ce.GeneralName': { name: 'GeneralName', type: 'uint' },
  'x509ce.rfc822Name': { name: 'rfc822Name', type: 'string' },
  'x509ce.dNSName': { name: 'dNSName', type: 'string' },
  'x509ce.directoryName': { name: 'directoryName', type: 'uint' },
  'x509ce.uniformResourceIdentifier': { name: 'uniformResourceIdentifier', type: 'string' },
  'x509ce.iPAddress': { name: 'iPAddress', type: 'bytes' },
  'x509ce.registeredID': { name: 'registeredID', type: 'string' },
});
