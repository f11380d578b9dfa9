import { PlotError } from '../errors.js';

/** The `INVALID_DATA` error a spec builder throws for input it cannot chart. */
export function invalidData(message: string): PlotError {
  return new PlotError({ code: 'INVALID_DATA', message });
}

/** True for a number that is neither NaN nor infinite. */
export function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}
