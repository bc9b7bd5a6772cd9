import { useRef } from 'react';
import { Line, LineChart, ReferenceLine, XAxis, YAxis } from 'recharts';
import { useElementWidth } from '@/components/chart/use-element-width';
import { formatClock } from '@/lib/format';
import type { evaluationChart } from './flag-evaluation-lines';

interface FlagEvaluationPlotProps {
  chart: ReturnType<typeof evaluationChart>;
  /** Whose evaluations, for the accessible name ("checkout in staging"). */
  whose: string;
  /** Fixed width in px; the plot fills its container otherwise. */
  width?: number | undefined;
  /** When the experiment started and ended (epoch ms), marked on the time axis. */
  startedAt?: number | undefined;
  endedAt?: number | undefined;
}

/** The lines of the flag-evaluations chart over time; fallbacks drawn thicker. */
export function FlagEvaluationPlot({
  chart,
  whose,
  width,
  startedAt,
  endedAt,
}: FlagEvaluationPlotProps) {
  const frame = useRef<HTMLDivElement>(null);
  const measured = useElementWidth(frame);
  return (
    <div ref={frame} className="w-full">
      <LineChart
        width={width ?? measured ?? 480}
        height={200}
        data={chart.rows}
        margin={{ top: 20, right: 16, bottom: 0, left: 0 }}
        aria-label={`Flag evaluations per second of ${whose}`}
      >
        <XAxis
          dataKey="t"
          type="number"
          domain={['dataMin', 'dataMax']}
          tickFormatter={formatClock}
          stroke="var(--fl-muted)"
          fontSize={12}
        />
        <YAxis stroke="var(--fl-muted)" fontSize={12} width={48} unit="/s" />
        {[
          { at: startedAt, label: 'experiment started' },
          { at: endedAt, label: 'ended' },
        ].map(({ at, label }) =>
          at === undefined ? null : (
            <ReferenceLine
              key={label}
              x={at}
              stroke="var(--fl-muted)"
              strokeDasharray="4 3"
              label={{
                value: label,
                position: 'top',
                fill: 'var(--fl-muted)',
                fontSize: 11,
              }}
            />
          ),
        )}
        {chart.lines.map((line) => (
          <Line
            key={line.key}
            dataKey={line.key}
            name={line.name}
            stroke={line.color}
            strokeWidth={line.fallback ? 3 : 1.5}
            dot={false}
            isAnimationActive={false}
            connectNulls
          />
        ))}
      </LineChart>
    </div>
  );
}
