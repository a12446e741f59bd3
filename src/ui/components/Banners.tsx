// Error / warning / info banners under the toolbar.

import type { ReactNode } from 'react';
import { IconClose, IconError, IconInfo, IconWarning } from './Icons.tsx';

export interface BannerSpec {
  id: string;
  kind: 'error' | 'warning' | 'info';
  title?: string;
  message: ReactNode;
  actions?: { label: string; onClick(): void; icon?: ReactNode }[];
  dismissible?: boolean;
}

export function Banners({ banners, onDismiss }: { banners: BannerSpec[]; onDismiss(id: string): void }) {
  if (banners.length === 0) return null;
  return (
    <div className="banners">
      {banners.map((b) => (
        <div key={b.id} className={`banner banner-${b.kind}`} role={b.kind === 'error' ? 'alert' : 'status'} data-banner={b.id}>
          <span className="banner-icon">{b.kind === 'error' ? <IconError /> : b.kind === 'warning' ? <IconWarning /> : <IconInfo />}</span>
          <div className="banner-text">
            {b.title ? <strong className="banner-title">{b.title} </strong> : null}
            <span>{b.message}</span>
          </div>
          {b.actions?.map((a) => (
            <button key={a.label} type="button" className="btn btn-small banner-action" onClick={a.onClick}>
              {a.icon}
              <span>{a.label}</span>
            </button>
          ))}
          {b.dismissible !== false ? (
            <button type="button" className="btn-icon banner-close" aria-label="Dismiss" title="Dismiss" onClick={() => onDismiss(b.id)}>
              <IconClose />
            </button>
          ) : null}
        </div>
      ))}
    </div>
  );
}
