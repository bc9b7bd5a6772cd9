import type { Metric } from '../../../src/domain';

/**
 * PromQL templates, one per metric. Placeholders are filled per evaluation:
 * `{{service}}`, `{{environment}}`, `{{instances}}` (a label matcher choosing the group's
 * instances: the blast radius for the target, the others for the control, every one for the
 * whole service), `{{range}}` (the rate window) and `{{memory_limit_bytes}}`.
 * Each must answer one number in the metric's unit (%, ms, req/s).
 */
const PLACEHOLDERS = [
  'service',
  'environment',
  'instances',
  'range',
  'memory_limit_bytes',
] as const;
type Placeholder = (typeof PLACEHOLDERS)[number];
/** `{{name}}`; in `x{{{instances}}}` the selector's own brace is not part of the placeholder. */
const PLACEHOLDER = /\{\{\s*([A-Za-z_]\w*)\s*\}\}/g;

const selector = '{service="{{service}}",environment="{{environment}}",{{instances}}';
const requests = `http_requests_total${selector}}`;
const requestsWithCode = (code: string) => `http_requests_total${selector},code=~"${code}"}`;
const share = (code: string) =>
  `100 * (sum(rate(${requestsWithCode(code)}[{{range}}])) or vector(0)) / sum(rate(${requests}[{{range}}]))`;

/** For a service instrumented the usual way (prom-client / client_golang defaults, `code` label). */
export const DEFAULT_TEMPLATES: Record<Metric, string> = {
  cpu: `100 * avg(rate(process_cpu_seconds_total${selector}}[{{range}}]))`,
  memory: `100 * avg(process_resident_memory_bytes${selector}}) / {{memory_limit_bytes}}`,
  error_rate: share('5..'),
  http_4xx_rate: share('4..'),
  http_5xx_rate: share('5..'),
  latency_p99: `1000 * histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket${selector}}[{{range}}])))`,
  request_rate: `sum(rate(${requests}[{{range}}]))`,
};

/**
 * CPU of a group of instances when a Faultline agent runs stress-ng against them: each
 * instance's own process CPU plus the CPU seconds the agent's stress-ng used against it
 * (`faultline_agent_stress_cpu_seconds_total`, exported by Faultline's /metrics from the agents'
 * heartbeats), averaged per instance — as a container's CPU would read with the stress process
 * inside it. Scrape Faultline with `honor_labels: true` so the series keep their `instance`.
 */
export const CPU_WITH_AGENT_STRESS =
  `100 * (sum(rate(process_cpu_seconds_total${selector}}[{{range}}]))` +
  ` + (sum(rate(faultline_agent_stress_cpu_seconds_total${selector}}[{{range}}])) or vector(0)))` +
  ` / count(process_cpu_seconds_total${selector}})`;

/** Why a template cannot be used, or null. Checked at start-up, so a typo never reaches a run. */
export function templateProblem(template: string): string | null {
  const used = [...template.matchAll(PLACEHOLDER)].map((m) => m[1] ?? '');
  const unknown = used.filter((name) => !(PLACEHOLDERS as readonly string[]).includes(name));
  if (unknown.length > 0)
    return `unknown placeholder {{${unknown[0]}}}: use ${PLACEHOLDERS.map((p) => `{{${p}}}`).join(', ')}`;
  if (!used.includes('instances'))
    return 'the template must use {{instances}}, or target and control would read the same series';
  if (/\{\{\s*[A-Za-z_]/.test(template.replace(PLACEHOLDER, '')))
    return 'a placeholder is not closed';
  const stripped = template.replace(PLACEHOLDER, 'x').replace(/"(?:[^"\\]|\\.)*"/g, '""');
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  const stack: string[] = [];
  for (const char of stripped) {
    if (char === '(' || char === '[' || char === '{') stack.push(char);
    else if (char in pairs) {
      if (stack.pop() !== pairs[char]) return `unbalanced "${char}"`;
    }
  }
  if (stack.length > 0) return `"${stack[stack.length - 1]}" is never closed`;
  return null;
}

const escape = (value: string) => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
const escapeRegex = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The label matcher of a group: its instances, the others, or any. */
export function instanceMatcher(
  label: string,
  group: { kind: 'only' | 'except'; instances: readonly string[] } | { kind: 'any' },
): string {
  if (group.kind === 'any') return `${label}=~".+"`;
  const alternatives = group.instances.map((i) => escape(escapeRegex(i))).join('|');
  // An empty list: "only none" matches nothing, "except none" matches every instance.
  if (alternatives === '') return group.kind === 'only' ? `${label}="__none__"` : `${label}=~".+"`;
  return `${label}${group.kind === 'only' ? '=~' : '!~'}"${alternatives}"`;
}

export function renderTemplate(template: string, values: Record<Placeholder, string>): string {
  return template.replace(PLACEHOLDER, (whole, name: string) =>
    name in values ? (name === 'instances' ? values.instances : escapeValue(name, values)) : whole,
  );
}

function escapeValue(name: string, values: Record<Placeholder, string>): string {
  const value = values[name as Placeholder];
  return name === 'service' || name === 'environment' ? escape(value) : value;
}
