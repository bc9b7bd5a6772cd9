import { useState } from 'react';
import type { Environment } from '@/domain/environments';
import {
  explainEvaluation,
  formatValue,
  type EvaluationContext,
  type FlagSpec,
  type Segment,
} from '@/domain/flags';
import { Field, inputClass } from '@/components/field';

interface EvaluationPreviewProps {
  spec: FlagSpec | null;
  environment: Environment;
  segments: readonly Segment[];
}

const FIELDS = [
  { name: 'email', label: 'Email', placeholder: 'ana@faultline.dev' },
  { name: 'country', label: 'Country', placeholder: 'CO' },
  { name: 'company', label: 'Company', placeholder: 'Globex' },
  { name: 'targetingKey', label: 'Targeting key', placeholder: 'user-42' },
  { name: 'appVersion', label: 'App version', placeholder: '2.1.0' },
] as const;

/** Type a user and see what the flag, as edited now, serves them in this environment, and why. */
export function EvaluationPreview({ spec, environment, segments }: EvaluationPreviewProps) {
  const [context, setContext] = useState<Record<string, string>>({});
  const filled: EvaluationContext = Object.fromEntries(
    Object.entries(context).filter(([, v]) => v.trim() !== ''),
  );
  const explanation = spec
    ? explainEvaluation(
        spec,
        environment,
        filled,
        Object.fromEntries(segments.map((s) => [s.key, s])),
      )
    : null;
  return (
    <section
      aria-labelledby="preview-heading"
      className="flex flex-col gap-3 rounded-lg border border-line bg-surface p-4"
    >
      <h2 id="preview-heading" className="text-lg font-bold">
        Preview in {environment}
      </h2>
      <div className="grid gap-2 sm:grid-cols-2">
        {FIELDS.map((f) => (
          <Field key={f.name} label={f.label}>
            {(control) => (
              <input
                {...control}
                className={inputClass}
                placeholder={f.placeholder}
                value={context[f.name] ?? ''}
                onChange={(e) => setContext({ ...context, [f.name]: e.target.value })}
              />
            )}
          </Field>
        ))}
      </div>
      {!explanation ? (
        <p className="text-sm text-muted">Fix the fields marked in red to preview.</p>
      ) : (
        <div
          role="status"
          aria-label="Evaluation result"
          className="flex flex-col gap-2 rounded-md border border-line bg-raised p-3 text-sm"
        >
          <dl className="grid grid-cols-[max-content_1fr] gap-x-3 gap-y-1">
            <dt className="text-muted">Variant</dt>
            <dd className="font-bold">
              {explanation.variant}{' '}
              <span className="font-mono font-normal">({formatValue(explanation.value)})</span>
            </dd>
            <dt className="text-muted">Reason</dt>
            <dd className="font-mono">{explanation.reason}</dd>
            <dt className="text-muted">Matched rule</dt>
            <dd>
              {explanation.matchedRule === null
                ? 'none'
                : `${explanation.matchedRule + 1}${explanation.rules[explanation.matchedRule]?.name ? ` “${explanation.rules[explanation.matchedRule]?.name}”` : ''}`}
            </dd>
          </dl>
          <p>{explanation.summary}</p>
          {explanation.missingTargetingKey && (
            <p className="text-warn">
              Applications asking over OFREP without a targeting key get TARGETING_KEY_MISSING and
              use their own default.
            </p>
          )}
          {explanation.rules.length > 0 && (
            <ol className="flex flex-col gap-1 text-xs" aria-label="Rules checked">
              {explanation.rules.map((rule) => (
                <li key={rule.index} className={rule.matched ? 'text-ok' : 'text-muted'}>
                  {rule.matched === null ? '·' : rule.matched ? '✓' : '✗'} Rule {rule.index + 1}
                  {rule.name ? ` “${rule.name}”` : ''}:{' '}
                  {rule.matched === null
                    ? 'not reached'
                    : rule.conditions
                        .map((c) => `${c.holds ? '' : 'not '}${c.description}`)
                        .join(', ') || 'everyone'}
                </li>
              ))}
            </ol>
          )}
        </div>
      )}
    </section>
  );
}
