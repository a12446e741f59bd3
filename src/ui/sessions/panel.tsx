// Registration of the "TCP sessions" side panel (src/main.tsx passes it to <App sidePanels>).

import type { SidePanel } from '../extension.ts';
import { SessionsPanel } from './SessionsPanel.tsx';

function IconLadder() {
  return (
    <svg className="icon" width="16" height="16" viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false">
      <path d="M3 1.75v12.5M13 1.75v12.5" />
      <path d="M3 4.5h8.5M10 3l1.5 1.5L10 6M13 9H4.5M6 7.5 4.5 9 6 10.5" />
    </svg>
  );
}

export const sessionsPanel: SidePanel = {
  id: 'sessions',
  title: 'TCP sessions',
  icon: <IconLadder />,
  render: (api) => <SessionsPanel api={api} />,
};
