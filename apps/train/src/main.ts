import { DataError, downloadDataset, loadDataset } from '@heart/data';
import { HELP, parseTrainOptions, type TrainOptions, UsageError } from './options.js';
import { findRepoRoot } from './repo-root.js';

async function run(options: TrainOptions): Promise<void> {
  const started = performance.now();
  const download = await downloadDataset({
    source: options.dataSource,
    sites: options.sites,
    cacheDir: options.dataDir,
    cwd: options.root,
    verifyChecksum: options.verifyChecksum,
    onRetry: (event) =>
      console.log(
        `  retry ${event.attempt} of ${event.url} in ${event.waitMs} ms: ${event.reason}`,
      ),
  });
  const { summary } = await loadDataset(download.files.map((file) => file.path));
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  console.log(
    `data      ${seconds}s  ${summary.rows} rows (${summary.positives} with disease), sha256 ${summary.sha256.slice(0, 12)}…`,
  );
  for (const file of download.files) {
    console.log(
      `          ${file.site}: ${file.rows} rows ${file.fromCache ? 'from cache' : `from ${file.url}`} → ${file.csvPath}`,
    );
  }
  const missing = Object.entries(summary.missing).filter(([, count]) => count > 0);
  console.log(
    `          missing: ${missing.map(([column, count]) => `${column} ${count}`).join(', ') || 'none'}`,
  );
}

async function main(): Promise<number> {
  const root = findRepoRoot();
  let options: TrainOptions | 'help';
  try {
    options = parseTrainOptions(process.argv.slice(2), process.env, root);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`heart-train: ${error.message}`);
      return 2;
    }
    throw error;
  }
  if (options === 'help') {
    console.log(HELP);
    return 0;
  }
  try {
    await run(options);
    return 0;
  } catch (error) {
    if (error instanceof DataError) {
      console.error(`heart-train: data step failed [${error.code}]: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

process.exitCode = await main();
