import type { Config } from 'vega-lite';

/** The family of the font @heart/plots ships (a Latin subset of DejaVu Sans). */
export const FONT_FAMILY = 'Heart Sans';

/**
 * The look of every chart: the shipped font everywhere (so PNG text never depends on system
 * fonts), explicit label limits (vega estimates text widths in Node), white background.
 */
export const CHART_CONFIG: Config = {
  font: FONT_FAMILY,
  background: 'white',
  padding: 12,
  title: { font: FONT_FAMILY, fontSize: 15, fontWeight: 'bold', anchor: 'start', offset: 10 },
  axis: {
    labelFont: FONT_FAMILY,
    titleFont: FONT_FAMILY,
    labelFontSize: 11,
    titleFontSize: 12,
    titleFontWeight: 'bold',
    labelLimit: 220,
    titlePadding: 8,
    gridColor: '#e6e6e6',
  },
  legend: {
    labelFont: FONT_FAMILY,
    titleFont: FONT_FAMILY,
    labelFontSize: 11,
    titleFontSize: 12,
    labelLimit: 320,
  },
  text: { font: FONT_FAMILY },
  view: { stroke: '#cccccc' },
  range: { category: ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'] },
};
