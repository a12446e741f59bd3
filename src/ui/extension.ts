// The extension API for side panels (TCP sessions, ladder diagram …): pass them to <App
// sidePanels={[…]}> (src/main.tsx). Each gets a toolbar toggle and, when open, the layout's
// right-hand column; render() receives the capture API below.

import type { ReactNode } from 'react';
import type { CaptureClient } from './capture-client.ts';
import type { Session } from './hooks/useCaptureSession.ts';
import type { ViewSpec } from '../worker/protocol.ts';

export interface CaptureApi {
  /** The opened file's state (phase, progress, summary …). */
  session: Session;
  /** The worker client of the opened file (null before one is opened or after a crash). Send your own requests through it. */
  client: CaptureClient | null;
  view: ViewSpec;
  /** Shows only one TCP stream in the packet list (null = all). */
  setTcpStream(stream: number | null): void;
  /** Store index (0-based, file order) of the selected packet, or null. */
  selectedIndex: number | null;
  /** Selects frame `num` in the list (scrolls to it); false when it is not in the current view. */
  selectPacket(num: number): Promise<boolean>;
}

export interface SidePanel {
  id: string;
  /** Toolbar button text and the panel's accessible name. */
  title: string;
  icon?: ReactNode;
  render(api: CaptureApi): ReactNode;
}
