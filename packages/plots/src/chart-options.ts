/** Common chart options. */
export interface ChartOptions {
  title?: string;
  /** Plot area width in px. Default 480. */
  width?: number;
  /** Plot area height in px. Default 360 (bars: 18 px per feature). */
  height?: number;
}
