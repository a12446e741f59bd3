// The load progress (bytes read / total, packets so far) and the Cancel button.

import type { LoadProgress as Progress } from '../../worker/protocol.ts';
import { formatBytes, formatCount } from '../lib/format.ts';
import { IconClose } from './Icons.tsx';

export function LoadProgress({ progress, cancelling, onCancel }: { progress: Progress; cancelling: boolean; onCancel(): void }) {
  const total = Math.max(progress.totalBytes, 1);
  const pct = Math.min(100, (progress.bytesRead / total) * 100);
  const text = `${formatBytes(progress.bytesRead)} of ${formatBytes(progress.totalBytes)}, ${formatCount(progress.packets)} packets`;
  return (
    <div className="loadprog">
      <div
        className="progressbar"
        role="progressbar"
        aria-label="Reading capture"
        aria-valuemin={0}
        aria-valuemax={progress.totalBytes}
        aria-valuenow={progress.bytesRead}
        aria-valuetext={text}
      >
        <div className="progressbar-fill" style={{ transform: `scaleX(${pct / 100})` }} />
      </div>
      <span className="loadprog-text" aria-hidden="true">
        {formatBytes(progress.bytesRead)} / {formatBytes(progress.totalBytes)} · <strong>{formatCount(progress.packets)}</strong> packets
      </span>
      <button type="button" className="btn btn-small" onClick={onCancel} disabled={cancelling}>
        <IconClose size={12} />
        <span>{cancelling ? 'Cancelling…' : 'Cancel'}</span>
      </button>
    </div>
  );
}
