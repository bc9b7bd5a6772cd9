import { describeError } from '@/lib/describe-error';

/** A failed request, said so a person knows what to do next. */
export function ErrorMessage({
  error,
  retry,
  className = '',
}: {
  error: unknown;
  retry?: () => void;
  className?: string;
}) {
  return (
    <div
      role="alert"
      className={`flex flex-wrap items-center gap-3 rounded-md border border-danger/60 bg-danger/10 px-3 py-2 text-sm ${className}`}
    >
      <span>{describeError(error)}</span>
      {retry && (
        <button
          type="button"
          onClick={retry}
          className="rounded border border-line px-2 py-0.5 font-semibold hover:border-fg"
        >
          Try again
        </button>
      )}
    </div>
  );
}
