import { useId, type ReactNode } from 'react';

interface FieldControlProps {
  id: string;
  'aria-invalid': boolean;
  'aria-describedby': string | undefined;
}

interface FieldProps {
  label: string;
  /** The message of the field at fault, shown next to it and read with it. */
  error?: string | undefined;
  hint?: ReactNode;
  className?: string;
  children: (control: FieldControlProps) => ReactNode;
}

/** A labelled control with its hint and its validation message, tied together for screen readers. */
export function Field({ label, error, hint, className = '', children }: FieldProps) {
  const id = useId();
  const describedBy =
    [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') ||
    undefined;
  return (
    <div className={`flex flex-col gap-1 text-sm ${className}`}>
      <label htmlFor={id} className="font-semibold text-muted">
        {label}
      </label>
      {children({ id, 'aria-invalid': Boolean(error), 'aria-describedby': describedBy })}
      {hint && (
        <span id={`${id}-hint`} className="text-xs text-muted">
          {hint}
        </span>
      )}
      {error && (
        <span id={`${id}-error`} className="text-xs font-semibold text-danger">
          {error}
        </span>
      )}
    </div>
  );
}

export const inputClass =
  'rounded-md border border-line bg-raised px-2 py-1 text-fg aria-[invalid=true]:border-danger ' +
  'focus:outline-2 focus:outline-[var(--fl-focus)]';

/** A message for a control that has no visible label of its own (it is named by aria-label). */
export function InlineError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <span id={id} className="text-xs font-semibold text-danger">
      {message}
    </span>
  );
}
