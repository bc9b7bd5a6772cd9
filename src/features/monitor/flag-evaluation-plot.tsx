import { useRef } from 'react';
import { Line, LineChart, XAxis, YAxis } from 'recharts';
import { useElementWidth } from '@/components/chart/use-element-width';
import { formatClock } from '@/lib/format';
import type { evaluationChart } from './flag-evaluation-lines';

interface FlagEvaluationPlotProps {
  chart: ReturnType<typeof evaluationChart>;
  /** Whose evaluations, for the accessible name ("checkout in staging"). */
  whose: string;
  /** Fixed width in px; the plot fills its container otherwise. */
  width?: number | undefined;
}

/** The lines of the flag-evaluations chart over time; fallbacks drawn thicker. */
export function FlagEvaluationPlot({ chart, whose, width }: FlagEvaluationPlotProps) {
  const frame = useRef<HTMLDivElement>(null);
  const measured = useElementWidth(frame);
  return (
    <div ref={frame} className="w-full">
      <LineChart
        width={width ?? measured ?? 480}
        height={200}
        data={chart.rows}
        margin={{ top: 8, right: 16, bottom: 0, left: 0 }}
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
