// Global setup of `npm run test:corpus`: the corpus checks are the point of that command, so a
// missing corpus is an error, not a silent pass.
import { CORPUS_DIR, corpusAvailable } from './compare.ts';

export default function requireCorpus(): void {
  if (!corpusAvailable()) {
    throw new Error(`the shared corpus is not at ${CORPUS_DIR} (set PCAP_LADDER_CORPUS to its folder); npm run test:corpus needs it`);
  }
}
