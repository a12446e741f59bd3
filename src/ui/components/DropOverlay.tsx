// The full-page overlay shown while a file is dragged over the window.

import { IconUpload } from './Icons.tsx';

export function DropOverlay({ visible }: { visible: boolean }) {
  if (!visible) return null;
  return (
    <div className="drop-overlay" data-testid="drop-overlay" aria-hidden="true">
      <div className="drop-card">
        <IconUpload />
        <div className="drop-title">Drop to open the capture</div>
        <div className="drop-sub">pcap or pcapng, also gzipped. It is read here and never uploaded.</div>
      </div>
    </div>
  );
}
