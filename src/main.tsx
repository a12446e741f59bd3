// Entry point: mounts the app inside a page-level error boundary (the page never goes blank).

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { prewarmCaptureWorker } from './ui/capture-client.ts';
import { App } from './ui/App.tsx';
import { ErrorBoundary } from './ui/components/ErrorBoundary.tsx';
import { applyInitialTheme } from './ui/hooks/useTheme.ts';
import './ui/styles.css';
import { sessionsPanel } from './ui/sessions/panel.tsx';

applyInitialTheme();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    <ErrorBoundary area="page">
      <App sidePanels={[sessionsPanel]} />
    </ErrorBoundary>
  </StrictMode>,
);

// Start the decoder's worker while the user picks a file.
prewarmCaptureWorker();
