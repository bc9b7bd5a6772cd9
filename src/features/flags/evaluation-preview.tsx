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

// Placeholders say they are examples, in a style no typed value has: the result is about what
// was typed, and an empty field is evaluated as empty.
const FIELDS = [
  { name: 'email', label: 'Email', placeholder: 'e.g. ana@example.com' },
  { name: 'country', label: 'Country', placeholder: 'e.g. CO' },
  { name: 'company', label: 'Company', placeholder: 'e.g. Globex' },
  { name: 'targetingKey', label: 'Targeting key', placeholder: 'e.g. user-42' },
  { name: 'appVersion', label: 'App version', placeholder: 'e.g. 2.1.0' },
] as const;

/** "email “ana@x.dev”, country “CO”; empty: company, targeting key, app version". */
function evaluatedFor(filled: Record<string, string>): string {
  const entered = FIELDS.filter((f) => filled[f.name] !== undefined);
  if (entered.length === 0) return 'an empty context: every field above is empty';
  const typed = entered.map((f) => `${f.label.toLowerCase()} “${filled[f.name]}”`).join(', ');
  const empty = FIELDS.filter((f) => filled[f.name] === undefined).map((f) =>
    f.label.toLowerCase(),
  );
  return empty.length ? `${typed}; empty: ${empty.join(', ')}` : typed;
}

/** "2 “beta testers”": the matched rule's number, and its name when it has one. */
function matchedRuleText(index: number, rules: readonly { name: string }[]): string {
  const name = rules[index]?.name;
  return name ? `${index + 1} “${name}”` : `${index + 1}`;
}

/** Type a user and see what the flag, as edited now, serves them in this environment, and why. */
export function EvaluationPreview({ spec, environment, segments }: EvaluationPreviewProps) {
  const [context, setContext] = useState<Record<string, string>>({});
  const filled: Record<string, string> & EvaluationContext = Object.fromEntries(
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
                className={`${inputClass} placeholder:text-muted/70 placeholder:italic`}
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
            <dt className="text-muted">Evaluated for</dt>
            <dd>{evaluatedFor(filled)}</dd>
            {explanation.jsonRule ? (
              <>
                <dt className="text-muted">Decided by</dt>
                <dd>a JSON rule</dd>
              </>
            ) : (
              <>
                <dt className="text-muted">Variant</dt>
                <dd className="font-bold">
                  {explanation.variant ?? 'none'}{' '}
                  <span className="font-mono font-normal">
                    (
                    {explanation.variant === null
                      ? "the application's default"
                      : formatValue(explanation.value)}
                    )
                  </span>
                </dd>
                <dt className="text-muted">Reason</dt>
                <dd className="font-mono">{explanation.reason}</dd>
                <dt className="text-muted">Matched rule</dt>
                <dd>
                  {explanation.matchedRule === null
                    ? 'none'
                    : matchedRuleText(explanation.matchedRule, explanation.rules)}
                </dd>
              </>
            )}
          </dl>
          <p>{explanation.summary}</p>
          {explanation.missingTargetingKey && (
            <p className="text-warn">
              Without a targeting key a rollout cannot bucket anyone: as in flagd, applications get
              the default.
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
