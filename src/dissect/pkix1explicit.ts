// PKIX1 explicitly tagged module (RFC 5280 Appendix A.1): the one field tshark shows of it in
// certificates, a policy qualifier's CPS pointer (§4.2.1.4).

import { defineProtocol } from './registry.ts';

export const F = defineProtocol('pkix1explicit', 'PKIX1Explicit', {
  'pkix1explicit.DirectoryString': { name: 'DirectoryString', type: 'string' },
});
