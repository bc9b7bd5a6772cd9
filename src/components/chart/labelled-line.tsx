import type { SVGProps } from 'react';

/**
 * A reference line shape that carries its meaning for assistive technology: the line is an
 * image named "abort threshold: 5xx rate > 1 % for 10 s", findable by role and name.
 */
export function labelledLine(name: string) {
  return function LabelledLine(props: SVGProps<SVGLineElement>) {
    return (
      <g role="img" aria-label={name}>
        <line {...props} className="recharts-reference-line-line" />
      </g>
    );
  };
}
