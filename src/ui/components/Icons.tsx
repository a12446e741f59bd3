// Inline icons (16px, stroke = currentColor). Decorative: always aria-hidden.

import type { ReactNode } from 'react';

function Svg({ children, size = 16 }: { children: ReactNode; size?: number }) {
  return (
    <svg className="icon" width={size} height={size} viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false">
      {children}
    </svg>
  );
}

export const IconOpen = () => (
  <Svg>
    <path d="M1.75 4.25v8c0 .55.45 1 1 1h10.5c.55 0 1-.45 1-1v-6.5c0-.55-.45-1-1-1H8L6.5 3H2.75c-.55 0-1 .45-1 1.25Z" />
  </Svg>
);
export const IconSamples = () => (
  <Svg>
    <path d="M6 1.75h4M6.75 1.75v4.5L2.6 12.9c-.45.75.1 1.35.85 1.35h9.1c.75 0 1.3-.6.85-1.35L9.25 6.25v-4.5" />
    <path d="M4.4 10h7.2" />
  </Svg>
);
export const IconChevronDown = () => (
  <Svg size={12}>
    <path d="m4 6 4 4 4-4" />
  </Svg>
);
export const IconPalette = () => (
  <Svg>
    <path d="M8 1.75a6.25 6.25 0 1 0 0 12.5c.9 0 1.3-.55 1.3-1.15 0-.75-.6-1-.6-1.7 0-.6.5-1.15 1.15-1.15h1.6c1.6 0 2.8-1.15 2.8-2.85 0-3.1-2.8-5.65-6.25-5.65Z" />
    <circle cx="4.75" cy="7.25" r=".9" fill="currentColor" stroke="none" />
    <circle cx="7" cy="4.6" r=".9" fill="currentColor" stroke="none" />
    <circle cx="10.25" cy="5.1" r=".9" fill="currentColor" stroke="none" />
  </Svg>
);
export const IconGoTo = () => (
  <Svg>
    <path d="M2 8h9.5M8.5 4.5 12 8l-3.5 3.5M14 3v10" />
  </Svg>
);
export const IconSun = () => (
  <Svg>
    <circle cx="8" cy="8" r="2.75" />
    <path d="M8 1.5v1.25M8 13.25v1.25M1.5 8h1.25M13.25 8h1.25M3.4 3.4l.9.9M11.7 11.7l.9.9M3.4 12.6l.9-.9M11.7 4.3l.9-.9" />
  </Svg>
);
export const IconMoon = () => (
  <Svg>
    <path d="M13.5 9.6A5.75 5.75 0 0 1 6.4 2.5a5.75 5.75 0 1 0 7.1 7.1Z" />
  </Svg>
);
export const IconClose = ({ size = 14 }: { size?: number }) => (
  <Svg size={size}>
    <path d="m4 4 8 8M12 4l-8 8" />
  </Svg>
);
export const IconError = () => (
  <Svg>
    <circle cx="8" cy="8" r="6.25" />
    <path d="M8 4.75v3.75M8 11v.25" />
  </Svg>
);
export const IconWarning = () => (
  <Svg>
    <path d="M7.1 2.4 1.6 12.1c-.4.7.1 1.4.9 1.4h11c.8 0 1.3-.7.9-1.4L8.9 2.4a1 1 0 0 0-1.8 0Z" />
    <path d="M8 6v3.25M8 11.4v.1" />
  </Svg>
);
export const IconInfo = () => (
  <Svg>
    <circle cx="8" cy="8" r="6.25" />
    <path d="M8 7.25v4M8 4.75v.1" />
  </Svg>
);
export const IconReload = () => (
  <Svg>
    <path d="M13.25 8A5.25 5.25 0 1 1 11.7 4.3M13.25 2.25v3.5h-3.5" />
  </Svg>
);
export const IconPanel = () => (
  <Svg>
    <rect x="1.75" y="2.25" width="12.5" height="11.5" rx="1.25" />
    <path d="M10 2.25v11.5" />
  </Svg>
);
export const IconUpload = () => (
  <Svg size={28}>
    <path d="M8 10.5V2.75M4.75 6 8 2.75 11.25 6M2.25 10.25v2c0 .55.45 1 1 1h9.5c.55 0 1-.45 1-1v-2" />
  </Svg>
);
export const IconExpand = () => (
  <Svg>
    <path d="m4.5 6 3.5 3.5L11.5 6M4.5 2.5 8 6l3.5-3.5" transform="translate(0 2.5)" />
  </Svg>
);
export const IconCollapse = () => (
  <Svg>
    <path d="M4.5 10 8 6.5l3.5 3.5M4.5 13.5 8 10l3.5 3.5" transform="translate(0 -3.5)" />
  </Svg>
);
export const Logo = ({ size = 22 }: { size?: number }) => (
  <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false">
    <rect width="32" height="32" rx="7" fill="var(--logo-bg, #2457c5)" />
    <path d="M9 6v20M23 6v20" stroke="#fff" strokeWidth="2.4" strokeLinecap="round" />
    <path d="m9 10 14 4M23 17 9 21" stroke="#9cc2ff" strokeWidth="2" strokeLinecap="round" />
    <path d="m19.6 11.8 3.4 2.2-4 .9M12.4 18.3 9 21l4 .3" stroke="#9cc2ff" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" fill="none" />
  </svg>
);
