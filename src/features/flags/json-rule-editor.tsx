import { useState } from 'react';
import type { JsonLogic } from '@/domain/flags';
import { Field, inputClass } from '@/components/field';

interface JsonRuleEditorProps {
  /** What the rule decides, for its label: "targeting in staging", "segment beta-users". */
  subject: string;
  logic: JsonLogic;
  /** The server's message for this rule, when it refused it. */
  error: string | undefined;
  onChange: (logic: JsonLogic) => void;
  /** Drops the JSON rule so the forms can be used instead; absent where that is not possible. */
  onReplace?: () => void;
}

const button =
  'rounded-md border border-line bg-raised px-3 py-1 text-sm font-semibold hover:border-muted';

/**
 * A JsonLogic rule the forms cannot draw (kept exactly as imported): shown read-only, editable
 * as JSON. The JSON must parse before it is applied; flagd's own check runs when the flag is saved.
 */
export function JsonRuleEditor({
  subject,
  logic,
  error,
  onChange,
  onReplace,
}: JsonRuleEditorProps) {
  const [text, setText] = useState<string | null>(null);
  const [parseError, setParseError] = useState<string | undefined>(undefined);
  const shown = JSON.stringify(logic, null, 2);

  function apply() {
    if (text === null) return;
    try {
      onChange(JSON.parse(text) as JsonLogic);
      setText(null);
      setParseError(undefined);
    } catch (e) {
      setParseError(`not JSON: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  return (
    <section
      aria-label={`JSON rule for ${subject}`}
      className="flex flex-col gap-2 rounded-lg border border-line bg-surface p-3"
    >
      <h4 className="text-sm font-bold">JSON rule (flagd JsonLogic)</h4>
      <p className="text-sm text-muted">
        The rule forms cannot draw this {subject}, so it is kept exactly as written and flagd
        evaluates it as is.
      </p>
      {text === null ? (
        <>
          <pre
            aria-label={`JSON rule text for ${subject}`}
            className="max-h-72 overflow-auto rounded-md border border-line bg-raised p-2 text-xs"
          >
            {shown}
          </pre>
          {error && <span className="text-xs font-semibold text-danger">{error}</span>}
          <div className="flex flex-wrap gap-2">
            <button type="button" className={button} onClick={() => setText(shown)}>
              Edit as JSON
            </button>
            {onReplace && (
              <button
                type="button"
                className={button}
                onClick={() => {
                  if (window.confirm(`Drop this JSON rule and start the ${subject} from no rules?`))
                    onReplace();
                }}
              >
                Replace with rules
              </button>
            )}
          </div>
        </>
      ) : (
        <>
          <Field label={`JSON rule for ${subject}`} error={parseError ?? error}>
            {(control) => (
              <textarea
                {...control}
                className={`${inputClass} min-h-40 font-mono text-xs`}
                value={text}
                onChange={(e) => setText(e.target.value)}
              />
            )}
          </Field>
          <div className="flex flex-wrap gap-2">
            <button type="button" className={button} onClick={apply}>
              Apply JSON
            </button>
            <button
              type="button"
              className={button}
              onClick={() => {
                setText(null);
                setParseError(undefined);
              }}
            >
              Cancel
            </button>
          </div>
        </>
      )}
    </section>
  );
}
