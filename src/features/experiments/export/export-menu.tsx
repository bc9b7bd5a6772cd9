import { useState } from 'react';
import type { ExperimentSpec } from '@/domain';
import { downloadText } from './download';
import { EXPORT_FORMATS, fileNameFor, type ExportFormat } from './export-formats';

/** Experiment as code: download the experiment as Faultline JSON, Chaos Mesh or Chaos Toolkit, or read it here. */
export function ExportMenu({ spec }: { spec: ExperimentSpec }) {
  const [preview, setPreview] = useState<ExportFormat['id'] | null>(null);
  const shown = EXPORT_FORMATS.find((f) => f.id === preview);
  return (
    <details className="rounded-md border border-line bg-surface text-sm">
      <summary className="cursor-pointer px-3 py-1.5 font-semibold">Export</summary>
      <ul className="flex flex-col gap-2 p-3" aria-label="Export formats">
        {EXPORT_FORMATS.map((format) => (
          <li key={format.id} className="flex flex-wrap items-center gap-2">
            <button
              type="button"
              onClick={() => downloadText(fileNameFor(format, spec), format.render(spec), format.mediaType)}
              className="rounded border border-line px-2 py-1 font-semibold hover:border-fg"
            >
              Download {format.label}
            </button>
            <button
              type="button"
              aria-pressed={preview === format.id}
              onClick={() => setPreview(preview === format.id ? null : format.id)}
              className="rounded px-2 py-1 text-muted underline hover:text-fg"
            >
              {preview === format.id ? 'Hide' : 'Show'} {format.label}
            </button>
            <span className="text-xs text-muted">{format.description}</span>
          </li>
        ))}
      </ul>
      {shown && (
        <pre aria-label={`${shown.label} of ${spec.name}`} className="max-h-96 overflow-auto border-t border-line bg-bg p-3 font-mono text-xs">
          {shown.render(spec)}
        </pre>
      )}
    </details>
  );
}
