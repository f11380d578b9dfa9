#!/usr/bin/env node
// Proves the @heart/* libraries publishable from their packed tarballs (issue 8), offline except
// for the npm registry:
//   1. every packages/* package.json has the fields a published package needs;
//   2. `pnpm pack` each; the tarball holds no tests, fixtures or source maps, and no `workspace:`;
//   3. publint and @arethetypeswrong/cli (ESM-only profile) pass on each;
//   4. `changeset status` passes;
//   5. a fresh npm project outside the workspace installs the tarballs (plus their registry
//      dependencies), type-checks a consumer script and every package README's example against the
//      shipped .d.ts files, then runs them: load the fixture copy of the Cleveland file, preprocess, fit LR and
//      RF, compute metrics, log a run to a temp mlruns, render a plot.
// Run: pnpm check:packages   (after pnpm turbo run build; pnpm test builds every package, then runs it last)
import { execFileSync, spawn } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The consumer's script: the whole job through the public names only. */
const CONSUMER = `import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDataset } from '@heart/data';
import { classificationReport } from '@heart/metrics';
import { createTrackingClient, inspectFileStore } from '@heart/mlflow';
import { LogisticRegression, RandomForest, loadModel } from '@heart/models';
import { confusionMatrixSpec, renderChart } from '@heart/plots';
import { createHeartPreprocessor, trainTestSplit } from '@heart/preprocessing';

const { rows, summary } = await loadDataset(process.env.HEART_CLEVELAND!);
const labels = rows.map((row) => row.target);
const split = trainTestSplit({ labels, testSize: 0.2, seed: 42 });
const train = split.trainIndex.map((i) => rows[i]!);
const test = split.testIndex.map((i) => rows[i]!);
const preprocessor = createHeartPreprocessor().fit(train);
const x = preprocessor.transform(train);
const y = train.map((row) => row.target);
const xTest = preprocessor.transform(test);
const yTest = test.map((row) => row.target);
const featureNames = preprocessor.featureNames;
const models = {
  'logistic-regression': new LogisticRegression({ C: 1 }).fit(x, y, { featureNames }),
  'random-forest': new RandomForest({ nEstimators: 50, seed: 42 }).fit(x, y, { featureNames }),
};
const mlruns = mkdtempSync(join(tmpdir(), 'heart-consumer-mlruns-'));
try {
  const client = createTrackingClient({ trackingUri: mlruns });
  const experiment = await client.setExperiment('consumer');
  const aucs: string[] = [];
  for (const [name, model] of Object.entries(models)) {
    const report = classificationReport(yTest, model.predictProba(xTest));
    if (!(report.rocAuc > 0.85)) throw new Error(\`\${name}: ROC AUC \${report.rocAuc}\`);
    const restored = loadModel(JSON.parse(JSON.stringify(model)));
    if (restored.predictProbaRow(xTest[0]!) !== model.predictProbaRow(xTest[0]!))
      throw new Error('a JSON round trip changed the model');
    const chart = await renderChart(confusionMatrixSpec(report.confusionMatrix));
    await client.withRun({ experimentId: experiment.experimentId, runName: name }, async (run) => {
      await run.logParams({ seed: 42 });
      await run.logMetrics({ roc_auc: report.rocAuc, f1: report.f1 });
      await run.logImage(chart.png, 'plots/confusion_matrix.png');
    });
    aucs.push(\`\${name} AUC \${report.rocAuc.toFixed(4)}\`);
  }
  const store = await inspectFileStore(mlruns);
  if (!store.readable || store.problems.length > 0) throw new Error('mlruns is not readable');
  console.log(\`\${summary.rows} rows; \${aucs.join(', ')}; 2 runs in mlruns\`);
} finally {
  rmSync(mlruns, { recursive: true, force: true });
}
`;

const root = resolve(import.meta.dirname, '..');
// The repository's fixture copy of the UCI files.
const uciDir = join(root, 'packages', 'test-support', 'fixtures', 'data', 'uci-heart-disease');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const work = mkdtempSync(join(tmpdir(), 'heart-packages-'));
const packs = join(work, 'packs');
const problems = [];
const started = performance.now();

function run(command, args, options = {}) {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: 'pipe', ...options });
  } catch (error) {
    const output = `${error.stdout ?? ''}${error.stderr ?? ''}`.trim();
    throw new Error(`${command} ${args.join(' ')} failed (exit ${error.status}):\n${output}`);
  }
}
const step = (text) =>
  console.log(`\n── ${text} (${((performance.now() - started) / 1000).toFixed(1)} s)`);

try {
  const manifest = (dir) =>
    JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8'));
  const all = readdirSync(join(root, 'packages')).filter((dir) =>
    statSync(join(root, 'packages', dir, 'package.json'), { throwIfNoEntry: false }),
  );
  // Private workspace packages (the test helpers) are never published.
  const dirs = all.filter((dir) => manifest(dir).private !== true);
  const internal = all.filter((dir) => !dirs.includes(dir));
  if (internal.length > 0) console.log(`not published (private): ${internal.join(', ')}`);

  step('package.json fields');
  for (const dir of dirs) {
    const pkg = JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8'));
    const exportsRoot = pkg.exports?.['.'];
    const checks = {
      name: pkg.name === `@heart/${dir}`,
      version: /^\d+\.\d+\.\d+/.test(pkg.version ?? ''),
      description: typeof pkg.description === 'string' && pkg.description.length > 20,
      license: pkg.license === 'MIT',
      'repository.directory': pkg.repository?.directory === `packages/${dir}`,
      keywords: Array.isArray(pkg.keywords) && pkg.keywords.length > 0,
      'exports (types first)': exportsRoot && Object.keys(exportsRoot)[0] === 'types',
      files: Array.isArray(pkg.files) && pkg.files.includes('dist'),
      'engines.node >= 20': /^>=\s*20/.test(pkg.engines?.node ?? ''),
      'sideEffects: false': pkg.sideEffects === false,
      'publishConfig.access public': pkg.publishConfig?.access === 'public',
      'not private': pkg.private !== true,
      'internal deps workspace:^': Object.entries({ ...pkg.dependencies, ...pkg.peerDependencies })
        .filter(([name]) => name.startsWith('@heart/'))
        .every(([, range]) => range === 'workspace:^'),
    };
    const failed = Object.entries(checks)
      .filter(([, ok]) => !ok)
      .map(([what]) => what);
    if (failed.length > 0)
      problems.push(`${pkg.name ?? dir}: package.json lacks ${failed.join(', ')}`);
    console.log(
      `${pkg.name.padEnd(22)} ${failed.length === 0 ? 'ok' : `MISSING ${failed.join(', ')}`}`,
    );
  }

  step('pnpm pack, tarball contents and sizes');
  mkdirSync(packs, { recursive: true });
  const tarballs = {};
  console.log(`${'package'.padEnd(22)} ${'tarball'.padStart(10)} ${'unpacked'.padStart(10)} files`);
  for (const dir of dirs) {
    const before = new Set(readdirSync(packs));
    run('pnpm', ['pack', '--pack-destination', packs], { cwd: join(root, 'packages', dir) });
    const file = readdirSync(packs).find((name) => !before.has(name));
    const tarball = join(packs, file);
    const listing = run('tar', ['-tvzf', tarball]).trim().split('\n');
    const entries = listing.map((line) => {
      const parts = line.trim().split(/\s+/);
      return { size: Number(parts[2]), path: parts.slice(5).join(' ') };
    });
    const unpacked = entries.reduce((sum, entry) => sum + entry.size, 0);
    const name = `@heart/${dir}`;
    tarballs[name] = tarball;
    const bad = entries.filter((entry) =>
      /(\.test\.|\.spec\.|__fixtures__|test-support|\.map$|\/src\/|\.tsbuildinfo$)/.test(
        entry.path,
      ),
    );
    if (bad.length > 0)
      problems.push(`${name}: tarball holds ${bad.map((entry) => entry.path).join(', ')}`);
    const packed = JSON.parse(run('tar', ['-xzOf', tarball, 'package/package.json']));
    if (JSON.stringify(packed).includes('workspace:'))
      problems.push(`${name}: packed package.json still says workspace:`);
    const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
    console.log(
      `${name.padEnd(22)} ${kib(statSync(tarball).size).padStart(10)} ${kib(unpacked).padStart(10)} ${entries.length}`,
    );
  }

  step('publint (strict) and attw (ESM-only profile)');
  for (const dir of dirs) {
    const name = `@heart/${dir}`;
    try {
      run(bin('publint'), ['--strict', join(root, 'packages', dir)]);
      run(bin('attw'), [tarballs[name], '--profile', 'esm-only', '--format', 'table-flipped']);
      console.log(`${name.padEnd(22)} publint ok, attw ok`);
    } catch (error) {
      problems.push(`${name}: ${error.message}`);
      console.log(`${name.padEnd(22)} FAILED`);
    }
  }

  step('changeset status');
  try {
    console.log(run(bin('changeset'), ['status'], { cwd: root }).trim());
  } catch (error) {
    problems.push(`changeset status: ${error.message}`);
  }

  step('consumer project from the tarballs (npm install, tsc, run)');
  const consumer = join(work, 'consumer');
  mkdirSync(join(consumer, 'src'), { recursive: true });
  writeFileSync(
    join(consumer, 'package.json'),
    `${JSON.stringify(
      {
        name: 'heart-consumer',
        private: true,
        type: 'module',
        dependencies: Object.fromEntries(
          Object.entries(tarballs).map(([name, tarball]) => [name, `file:${tarball}`]),
        ),
        devDependencies: { '@types/node': '^20.19.43' },
      },
      null,
      2,
    )}\n`,
  );
  writeFileSync(
    join(consumer, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        types: ['node'],
        outDir: 'dist',
        rootDir: 'src',
        // Our .d.ts files are checked through the consumer's use of them; third-party
        // declarations (vega's) are not ours to fix.
        skipLibCheck: true,
      },
      include: ['src'],
    }),
  );
  writeFileSync(join(consumer, 'src', 'consumer.ts'), CONSUMER);
  // Every package README's first TypeScript block, as written.
  const examples = [];
  for (const dir of dirs) {
    const readme = readFileSync(join(root, 'packages', dir, 'README.md'), 'utf8');
    const block = /```ts\n([\s\S]*?)```/.exec(readme);
    if (!block) {
      problems.push(`@heart/${dir}: README has no \`\`\`ts example`);
      continue;
    }
    writeFileSync(join(consumer, 'src', `readme-${dir}.ts`), `${block[1]}\nexport {};\n`);
    examples.push(dir);
  }
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: consumer });
  const installed = readdirSync(join(consumer, 'node_modules', '@heart')).sort();
  console.log(`installed: ${installed.map((name) => `@heart/${name}`).join(', ')}`);
  try {
    run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', consumer]);
    console.log('tsc against the shipped .d.ts: ok');
  } catch (error) {
    problems.push(`consumer tsc: ${error.message}`);
  }

  // A loopback stand-in for the UCI site (the README's downloadDataset example fetches from it).
  const uci = createServer((request, response) => {
    const name = (request.url ?? '').split('/').pop();
    try {
      const body = readFileSync(join(uciDir, name));
      response.writeHead(200, { 'content-length': body.length }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise((done) => uci.listen(0, '127.0.0.1', done));
  const env = {
    ...process.env,
    HEART_DATA_URL: `http://127.0.0.1:${uci.address().port}/`,
    HEART_CLEVELAND: join(uciDir, 'processed.cleveland.data'),
  };
  for (const key of Object.keys(env)) if (key.startsWith('MLFLOW_')) delete env[key];
  const execute = (file) =>
    new Promise((done) => {
      const child = spawn(process.execPath, [join(consumer, 'dist', file)], { cwd: consumer, env });
      let output = '';
      child.stdout.on('data', (chunk) => (output += chunk));
      child.stderr.on('data', (chunk) => (output += chunk));
      child.on('close', (code) => done({ code, output }));
    });
  try {
    for (const file of ['consumer.js', ...examples.map((dir) => `readme-${dir}.js`)]) {
      const { code, output } = await execute(file);
      if (code !== 0) problems.push(`${file} exited ${code}:\n${output}`);
      const shown = file === 'consumer.js' ? output.trim() : `exit ${code}`;
      console.log(`${file.padEnd(26)} ${shown}`);
    }
  } finally {
    uci.close();
  }
} catch (error) {
  problems.push(error.message);
} finally {
  rmSync(work, { recursive: true, force: true });
}

step('result');
if (problems.length > 0) {
  console.error(`${problems.length} problem(s):\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
console.log('every @heart/* package is publishable and works from its tarball');
