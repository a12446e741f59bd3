// What the page shows before a file is opened: what the app does, that nothing is uploaded,
// and the three ways to open a capture.

import type { Sample, SamplesState } from '../hooks/useSamples.ts';
import { formatCount } from '../lib/format.ts';
import { IconOpen, IconUpload, Logo } from './Icons.tsx';

export function EmptyState({ samples, onPick, onSample }: { samples: SamplesState; onPick(): void; onSample(s: Sample): void }) {
  return (
    <div className="empty">
      <div className="empty-card">
        <div className="empty-logo">
          <Logo size={44} />
        </div>
        <h2 className="empty-title">Open a packet capture</h2>
        <p className="empty-lead">
          Pcap Ladder shows every packet of a pcap or pcapng file at once, with each packet’s protocol tree and bytes.
          <br />
          It all runs in this browser tab: <strong>nothing is uploaded</strong>, the file never leaves your computer.
        </p>
        <div className="empty-ways">
          <div className="empty-way">
            <button type="button" className="btn btn-primary btn-large" onClick={onPick}>
              <IconOpen />
              <span>Choose a file…</span>
            </button>
            <span className="empty-hint">.pcap, .pcapng, .cap, gzipped too</span>
          </div>
          <div className="empty-or" aria-hidden="true">
            or
          </div>
          <div className="empty-way empty-drop">
            <IconUpload />
            <span>Drop a file anywhere on this page</span>
          </div>
        </div>
        <section className="empty-samples" aria-labelledby="empty-samples-title">
          <h3 id="empty-samples-title" className="empty-samples-title">
            …or try a sample capture
          </h3>
          {samples.status === 'loading' ? <p className="muted">Looking for samples…</p> : null}
          {samples.status === 'none' ? <p className="muted">No sample captures are bundled with this build.</p> : null}
          {samples.status === 'ready' ? (
            <ul className="sample-list">
              {samples.samples.map((s) => (
                <li key={s.file}>
                  <button type="button" className="sample-card" onClick={() => onSample(s)}>
                    <span className="sample-title">{s.title}</span>
                    {s.description ? <span className="sample-desc">{s.description}</span> : null}
                    <span className="sample-meta">
                      {s.file}
                      {s.packets ? ` · ${formatCount(s.packets)} packets` : ''}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          ) : null}
        </section>
      </div>
    </div>
  );
}
