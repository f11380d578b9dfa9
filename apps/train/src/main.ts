#!/usr/bin/env node
/**
 * Entry point. The chart worker starts first — vega takes the longest to load — and the rest of
 * the CLI loads while it does.
 */
import { createPlotRenderer } from './plot-renderer.js';

const wantsHelp = process.argv.some((arg) => arg === '-h' || arg === '--help');
const plots = wantsHelp ? undefined : createPlotRenderer();
const { main } = await import('./cli.js');
try {
  process.exitCode = await main(plots);
} finally {
  await plots?.close();
}
