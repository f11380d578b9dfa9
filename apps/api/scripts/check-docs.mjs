#!/usr/bin/env node
// Opens the API's docs in headless Chromium as a person would: /docs (Swagger UI) → POST /predict →
// "Try it out" → Execute, checks the answer, then /redoc; fails on any request that leaves the
// server, any CSP violation, any console error. Saves screenshots (git-ignored).
//
//   node scripts/check-docs.mjs [--url http://127.0.0.1:8000] [--out .artifacts]
//
// Without --url it starts dist/main.js itself (MODEL_DIR / MODEL_URI from the environment, else
// models/ at the root). Chromium: CHROMIUM_PATH, else Debian's /usr/bin/chromium.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const here = resolve(import.meta.dirname, '..');
const { values } = parseArgs({ options: { url: { type: 'string' }, out: { type: 'string' } } });
const out = resolve(values.out ?? join(here, '.artifacts'));
const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const fail = (message) => {
  console.error(`check-docs: FAILED: ${message}`);
  process.exitCode = 1;
};

/** Starts the built service on an ephemeral port; resolves its URL and a stop function. */
function startServer() {
  const main = join(here, 'dist', 'main.js');
  if (!existsSync(main))
    throw new Error(`${main} is missing: build first (pnpm --filter @heart/api-app build)`);
  const child = spawn(process.execPath, [main], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', WORKERS: '1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((done, reject) => {
    let output = '';
    const timer = setTimeout(
      () => reject(new Error(`the service did not start:\n${output}`)),
      30_000,
    );
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /Server listening at (http:\/\/[\d.:]+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        done({ url: match[1], stop: () => child.kill('SIGTERM') });
      }
    });
    child.on('exit', (code) => reject(new Error(`the service exited (${code}):\n${output}`)));
  });
}

async function check(base, browser) {
  const origin = new URL(base).origin;
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  const problems = [];
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:'))
      problems.push(`left the server: ${url}`);
  });
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`);
    });
  });

  // Swagger UI: POST /predict, Try it out, Execute.
  const docs = await page.goto(`${base}/docs`);
  if (docs?.status() !== 200) fail(`/docs answered ${docs?.status()}`);
  if (!docs?.headers()['content-security-policy']) fail('/docs has no Content-Security-Policy');
  const operation = page.locator('#operations-heart-predict');
  await operation.locator('.opblock-summary').click();
  await operation.locator('button.try-out__btn').click();
  await operation.locator('button.execute').click();
  const status = operation.locator('.live-responses-table .response .response-col_status').first();
  await status.waitFor({ timeout: 15_000 });
  const code = ((await status.textContent()) ?? '').trim();
  const bodyText = await operation
    .locator('.live-responses-table .response-col_description pre')
    .first()
    .textContent();
  let answer;
  try {
    answer = JSON.parse(bodyText);
  } catch {
    fail(`the answer is not JSON: ${bodyText.slice(0, 200)}`);
  }
  if (code !== '200')
    fail(`POST /predict from the page answered ${code}: ${bodyText.slice(0, 200)}`);
  else if (
    !answer ||
    ![0, 1].includes(answer.prediction) ||
    typeof answer.probability !== 'number' ||
    !answer.model?.kind
  ) {
    fail(`unexpected answer: ${bodyText.slice(0, 200)}`);
  } else {
    console.log(
      `check-docs: /docs → POST /predict → ${code} ${JSON.stringify({ prediction: answer.prediction, probability: answer.probability, kind: answer.model.kind })}`,
    );
  }
  await operation.screenshot({ path: join(out, 'docs-try-it-out.png') });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(out, 'docs.png') });

  // ReDoc: the same document, rendered.
  const redoc = await page.goto(`${base}/redoc`);
  if (redoc?.status() !== 200) fail(`/redoc answered ${redoc?.status()}`);
  await page.getByText('heart inference API').first().waitFor({ timeout: 15_000 });
  await page
    .locator('h2', { hasText: 'Predict for one patient' })
    .first()
    .waitFor({ timeout: 15_000 });
  await page.screenshot({ path: join(out, 'redoc.png') });
  await page.close();
  for (const problem of problems) fail(problem);
}

mkdirSync(out, { recursive: true });
if (!existsSync(executablePath)) {
  console.error(
    `check-docs: no Chromium at ${executablePath} (apt-get install -y chromium, or set CHROMIUM_PATH)`,
  );
  process.exit(3);
}
const server = values.url
  ? { url: values.url.replace(/\/$/, ''), stop: () => {} }
  : await startServer();
const browser = await chromium.launch({ executablePath, headless: true, args: FLAGS });
try {
  await check(server.url, browser);
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
} finally {
  await browser.close();
  server.stop();
}
if (!process.exitCode)
  console.log(`check-docs: ok; screenshots in ${out} (docs.png, docs-try-it-out.png, redoc.png)`);
