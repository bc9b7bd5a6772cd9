import { useEffect, useMemo, useState } from 'react';
import type { ExperimentSpec } from '@/domain';
import { downloadText } from '@/lib/download';
import { blastRadiusLimit } from './blast-radius-limit';
import {
  EXPORT_FORMATS,
  fileNameFor,
  type ExportFormat,
  type ExportFormatId,
} from './export-formats';
import type { ExportOptions } from './render-export';

async function render(
  format: ExportFormatId,
  spec: ExperimentSpec,
  options: ExportOptions,
): Promise<string> {
  const { renderExport } = await import('./render-export');
  return renderExport(format, spec, options);
}

/** Formats whose file carries a Chaos Mesh selector (Chaos Toolkit embeds the manifest). */
const SELECTS_PODS: readonly ExportFormatId[] = ['chaos-mesh', 'chaos-toolkit'];

/** Experiment as code: download the experiment as Faultline JSON, Chaos Mesh or Chaos Toolkit, or read it here. */
export function ExportMenu({
  spec,
  experimentId,
  targets,
}: {
  spec: ExperimentSpec;
  /** Set once the experiment is saved: its target series carry it. */
  experimentId?: string;
  /** The instances its run hit, once it ran: the exports select exactly those. */
  targets?: readonly string[];
}) {
  const options = useMemo<ExportOptions>(
    () => ({
      ...(experimentId && {
        experimentId,
        abortCheck: { faultlineUrl: window.location.origin, experimentId },
      }),
      ...(targets?.length && { targets }),
    }),
    [experimentId, targets],
  );
  const limit = blastRadiusLimit(spec, options);
  const [preview, setPreview] = useState<{ format: ExportFormat; text: string } | null>(null);
  const shownFormat = preview?.format;

  // The designer changes the spec while the preview is open: keep the text in step.
  useEffect(() => {
    if (!shownFormat) return;
    let current = true;
    void render(shownFormat.id, spec, options).then(
      (text) => current && setPreview({ format: shownFormat, text }),
    );
    return () => {
      current = false;
    };
  }, [spec, shownFormat, options]);

  async function download(format: ExportFormat) {
    downloadText(
      fileNameFor(format, spec),
      await render(format.id, spec, options),
      format.mediaType,
    );
  }

  async function togglePreview(format: ExportFormat) {
    setPreview(
      preview?.format.id === format.id
        ? null
        : { format, text: await render(format.id, spec, options) },
    );
  }

  return (
    <details className="rounded-md border border-line bg-surface text-sm">
      <summary className="cursor-pointer px-3 py-1.5 font-semibold">Export</summary>
      <ul className="flex flex-col gap-2 p-3" aria-label="Export formats">
        {EXPORT_FORMATS.map((format) => (
          <li key={format.id} className="flex flex-wrap items-center gap-2">
            <button
              type="button"
              onClick={() => void download(format)}
              className="rounded border border-line px-2 py-1 font-semibold hover:border-fg"
            >
              Download {format.label}
            </button>
            <button
              type="button"
              aria-pressed={preview?.format.id === format.id}
              onClick={() => void togglePreview(format)}
              className="rounded px-2 py-1 text-muted underline hover:text-fg"
            >
              {preview?.format.id === format.id ? 'Hide' : 'Show'} {format.label}
            </button>
            <span className="text-xs text-muted">{format.description}</span>
            {limit && SELECTS_PODS.includes(format.id) && (
              <p role="note" className="basis-full text-xs text-warn">
                Blast radius not kept: {limit}
              </p>
            )}
          </li>
        ))}
      </ul>
      {preview && (
        <pre
          aria-label={`${preview.format.label} of ${spec.name}`}
          className="max-h-96 overflow-auto border-t border-line bg-bg p-3 font-mono text-xs"
        >
          {preview.text}
        </pre>
      )}
    </details>
  );
}
