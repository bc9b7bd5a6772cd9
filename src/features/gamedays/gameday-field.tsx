import { useId, type ReactNode } from 'react';

export interface ControlProps {
  id: string;
  'aria-invalid': boolean;
  'aria-describedby': string | undefined;
}

/** A labelled control with its validation message beside it, tied together for screen readers. */
export function GamedayField({ label, error, className = '', children }: { label: string; error?: string | undefined; className?: string; children: (control: ControlProps) => ReactNode }) {
  const id = useId();
  const errorId = `${id}-error`;
  return (
    <div className={`flex flex-col gap-1 text-sm ${className}`}>
      <label htmlFor={id} className="font-semibold text-muted">
        {label}
      </label>
      {children({ id, 'aria-invalid': Boolean(error), 'aria-describedby': error ? errorId : undefined })}
      {error && (
        <span id={errorId} className="text-xs font-semibold text-danger">
          {error}
        </span>
      )}
    </div>
  );
}

export const fieldClass = 'rounded-md border border-line bg-raised px-2 py-1 text-fg aria-[invalid=true]:border-danger';
