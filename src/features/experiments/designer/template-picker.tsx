import { useState } from 'react';
import { TEMPLATE_IDS, TEMPLATES, type TemplateId } from '@/domain';

interface TemplatePickerProps {
  /** Picking replaces the design: ask first when it holds unsaved work. */
  needsConfirm: boolean;
  onPick: (id: TemplateId) => void;
}

/** Start from a template: CPU pressure, latency to a dependency, error burst, instance shutdown. */
export function TemplatePicker({ needsConfirm, onPick }: TemplatePickerProps) {
  const [pending, setPending] = useState<TemplateId | null>(null);
  return (
    <details className="rounded-md border border-line bg-surface text-sm">
      <summary className="cursor-pointer px-3 py-1.5 font-semibold">Start from a template</summary>
      <ul className="grid gap-2 p-3 sm:grid-cols-2" aria-label="Templates">
        {TEMPLATE_IDS.map((id) => (
          <li key={id}>
            <button
              type="button"
              onClick={() => (needsConfirm ? setPending(id) : onPick(id))}
              className="flex w-full flex-col items-start rounded-md border border-line p-2 text-left hover:border-accent"
            >
              <span className="font-semibold">{TEMPLATES[id].label}</span>
              <span className="text-xs text-muted">{TEMPLATES[id].description}</span>
            </button>
          </li>
        ))}
      </ul>
      {pending && (
        <div
          role="alertdialog"
          aria-label="Replace the design?"
          className="flex flex-wrap items-center gap-2 border-t border-line p-3"
        >
          <span>Replace what you designed with “{TEMPLATES[pending].label}”?</span>
          <button
            type="button"
            className="rounded border border-danger px-2 py-1 font-semibold text-danger"
            onClick={() => {
              onPick(pending);
              setPending(null);
            }}
          >
            Replace
          </button>
          <button
            type="button"
            className="rounded border border-line px-2 py-1"
            onClick={() => setPending(null)}
          >
            Keep mine
          </button>
        </div>
      )}
    </details>
  );
}
