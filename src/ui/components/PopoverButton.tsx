// The button that opens a popover (usePopover): carries the ARIA state that ties it to its panel.

import type { ReactNode } from 'react';
import type { usePopover } from '../hooks/usePopover.ts';

export function PopoverButton({ pop, popup, disabled, children }: {
  pop: ReturnType<typeof usePopover>;
  popup: 'menu' | 'dialog';
  disabled?: boolean;
  children: ReactNode;
}) {
  return (
    <button
      ref={pop.buttonRef}
      type="button"
      className="btn"
      aria-haspopup={popup}
      aria-expanded={pop.open}
      aria-controls={pop.open ? pop.id : undefined}
      onClick={pop.toggle}
      disabled={disabled}
    >
      {children}
    </button>
  );
}
