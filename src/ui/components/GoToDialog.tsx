// "Go to packet" (Ctrl+G / Cmd+G): a small modal dialog with a number input.

import { useEffect, useId, useRef, useState, type FormEvent } from 'react';

export interface GoToDialogProps {
  open: boolean;
  /** Packets in the capture (for the hint). */
  max: number;
  onClose(): void;
  /** Resolves to an error message, or null when it jumped. */
  onGo(num: number): Promise<string | null>;
}

export function GoToDialog({ open, max, onClose, onGo }: GoToDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const inputId = useId();
  const errId = useId();

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      setError(null);
      d.showModal();
      requestAnimationFrame(() => inputRef.current?.select());
    } else if (!open && d.open) d.close();
  }, [open]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const n = Number(value.trim());
    if (!value.trim() || !Number.isInteger(n) || n < 1) {
      setError('Enter a packet number (1 or more).');
      return;
    }
    setBusy(true);
    const err = await onGo(n);
    setBusy(false);
    if (err) setError(err);
    else onClose();
  };

  return (
    <dialog ref={ref} className="dialog" aria-labelledby={`${inputId}-title`} onClose={onClose} onCancel={onClose}>
      <form onSubmit={submit} noValidate>
        <h2 id={`${inputId}-title`} className="dialog-title">
          Go to packet
        </h2>
        <label htmlFor={inputId} className="field-label">
          Packet number
        </label>
        <input
          ref={inputRef}
          id={inputId}
          className="input"
          type="number"
          inputMode="numeric"
          min={1}
          max={max || undefined}
          value={value}
          placeholder={max ? `1 – ${max}` : ''}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errId : undefined}
          onChange={(e) => {
            setValue(e.target.value);
            setError(null);
          }}
          autoFocus
        />
        <p id={errId} className={`field-error${error ? '' : ' is-empty'}`} role="alert">
          {error ?? ''}
        </p>
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy}>
            Go
          </button>
        </div>
      </form>
    </dialog>
  );
}
