// The status bar: file, packets, displayed, malformed, load and first-rows times.

import type { Session } from '../hooks/useCaptureSession.ts';
import { formatBytes, formatCount, formatMs } from '../lib/format.ts';

export function StatusBar({ session, total, selectedNum }: { session: Session; total: number; selectedNum: number | null }) {
  const { summary, progress, phase } = session;
  if (phase === 'empty') {
    return (
      <footer className="statusbar" aria-label="Status">
        <span className="status-item muted">No capture open</span>
      </footer>
    );
  }
  if (phase === 'failed') {
    return (
      <footer className="statusbar" aria-label="Status">
        <span className="status-item status-file" title={session.fileName} data-testid="status-file">
          {session.fileName}
        </span>
        <span className="status-item muted">could not be opened</span>
      </footer>
    );
  }
  const packets = summary?.packets ?? progress?.packets ?? 0;
  const loading = phase === 'loading';
  return (
    <footer className="statusbar" aria-label="Status">
      <span className="status-item status-file" title={session.fileName} data-testid="status-file">
        {session.fileName}
      </span>
      {summary ? (
        <span className="status-item muted" title={summary.linkTypes.join(', ')}>
          {summary.format}
          {summary.compressed ? ' (gzip)' : ''} · {formatBytes(summary.bytes)}
        </span>
      ) : null}
      <span className="status-sep" />
      <span className="status-item" data-testid="status-packets">
        Packets: <strong>{formatCount(packets)}</strong>
      </span>
      <span className="status-item" data-testid="status-displayed">
        Displayed: <strong>{formatCount(total)}</strong>
      </span>
      <span className={`status-item${summary && summary.malformed > 0 ? ' status-bad' : ''}`} data-testid="status-malformed">
        Malformed: <strong>{summary ? formatCount(summary.malformed) : '…'}</strong>
      </span>
      {selectedNum !== null ? (
        <span className="status-item" data-testid="status-selected">
          Selected: <strong>{formatCount(selectedNum)}</strong>
        </span>
      ) : null}
      <span className="status-spacer" />
      {summary ? (
        <span className="status-item muted" title={summary.bytesKept ? 'Memory the decoder holds for this capture: its bytes and the packet table' : 'Memory the decoder holds for this capture: the packet table (a large file is not held in memory: the packets on screen are read from it again)'} data-testid="status-memory" data-bytes={summary.memoryBytes}>
          Memory ≈ {formatBytes(summary.memoryBytes)}
        </span>
      ) : null}
      <span className="status-item muted" data-testid="status-load" data-ms={summary ? Math.round(summary.loadMs) : undefined}>
        {loading ? 'Loading…' : summary ? `Loaded in ${formatMs(summary.loadMs)}` : ''}
      </span>
      {session.firstRowsMs !== null ? (
        <span className="status-item muted" title={summary ? `Decoder: first packets after ${formatMs(summary.firstRowsMs)}` : undefined} data-testid="status-first">
          First rows in {formatMs(session.firstRowsMs)}
        </span>
      ) : null}
    </footer>
  );
}
