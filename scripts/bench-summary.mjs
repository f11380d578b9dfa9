#!/usr/bin/env node
// The last step of `pnpm bench`: one table over every benchmark's rows, read from the files each
// benchmark left in .bench/ (written by writeBenchResults from @heart/test-support).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const dir = resolve(import.meta.dirname, '..', '.bench');
const STALE_MS = 60 * 60 * 1000;

const figure = (value) =>
  Math.abs(value) >= 100 ? Math.round(value).toLocaleString('en-US') : value.toPrecision(3);

function readResults() {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .map((name) => JSON.parse(readFileSync(join(dir, name), 'utf8')))
    .sort((a, b) => a.finishedAt.localeCompare(b.finishedAt));
}

function cells(bench, row) {
  const ratio = row.ratio;
  return [
    bench,
    row.figure,
    `${figure(row.heart.median)} ${row.unit}`,
    row.base
      ? `${figure(row.base.median)} ${row.unit} (${row.baseline})`
      : `skipped (${row.baseline})`,
    ratio ? `${figure(ratio.median)}×` : '–',
    ratio && ratio.runs > 1 ? `${figure(ratio.min)}–${figure(ratio.max)}` : '–',
  ];
}

function printTable(lines) {
  const widths = lines[0].map((_, column) => Math.max(...lines.map((line) => line[column].length)));
  const print = (line) =>
    console.log(`| ${line.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`);
  print(lines[0]);
  console.log(`|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`);
  for (const line of lines.slice(1)) print(line);
}

const results = readResults();
if (results.length === 0) {
  console.log(`no benchmark results in ${dir}: run pnpm bench`);
  process.exit(1);
}
const newest = Date.parse(results[results.length - 1].finishedAt);
console.log(
  '\npnpm bench: summary. heart and baseline: medians. ratio: heart / baseline, the median',
);
console.log('of the per-pair ratios (below 1 is better for times, ms and MiB; above 1 for req/s);');
console.log('spread: min–max of those ratios.\n');
const header = ['benchmark', 'figure', 'heart', 'baseline', 'ratio', 'spread'];
printTable([
  header,
  ...results.flatMap((result) => result.rows.map((row) => cells(result.bench, row))),
]);
console.log('');
for (const result of results) {
  const stale =
    newest - Date.parse(result.finishedAt) > STALE_MS ? ' — STALE, from an earlier run' : '';
  console.log(`${result.bench}: measured ${result.finishedAt}${stale}`);
  for (const note of result.notes) console.log(`  ${note}`);
}
