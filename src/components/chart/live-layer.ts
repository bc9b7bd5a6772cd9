import { createContext, useContext } from 'react';

/**
 * The SVG that a chart's live lines are drawn into: laid over the chart, the same size. Kept
 * apart from the chart's own SVG so that redrawing the lines repaints only them, not the
 * axes, grid and labels around them.
 */
export const LiveLayerContext = createContext<SVGSVGElement | null>(null);

export function useLiveLayer(): SVGSVGElement | null {
  return useContext(LiveLayerContext);
}
