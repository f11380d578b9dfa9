import { createManualClock } from '@heart/test-support';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics } from './metrics.js';
import type { PipelineBundle } from './model-bundle.js';
import type { ModelHolder } from './model-holder.js';
import { loadBundleFromDir } from './model-store.js';
import { createModelSupervisor } from './model-supervisor.js';
import { writeModelDir } from './test-support/fixtures.js';

let forest: PipelineBundle;
let linear: PipelineBundle;
const cleanups: (() => Promise<void>)[] = [];
beforeAll(async () => {
  for (const kind of ['random-forest', 'logistic-regression'] as const) {
    const fixture = await writeModelDir(kind);
    cleanups.push(fixture.cleanup);
    const bundle = await loadBundleFromDir(fixture.dir);
    if (kind === 'random-forest') forest = bundle;
    else linear = bundle;
  }
});
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

/** A source whose loads the test finishes by hand, and whose `current()` it sets. */
function manualSource(target = 'm/1') {
  const pending: { resolve: (bundle: PipelineBundle) => void; reject: (error: Error) => void }[] =
    [];
  const source = {
    target,
    loads: 0,
    load: () => {
      source.loads++;
      return new Promise<PipelineBundle>((resolve, reject) => pending.push({ resolve, reject }));
    },
    current: async () => source.target,
    finish: (bundle: PipelineBundle | Error) => {
      const next = pending.shift()!;
      if (bundle instanceof Error) next.reject(bundle);
      else next.resolve(bundle);
    },
  };
  return source;
}

const withVersion = (bundle: PipelineBundle, version: string): PipelineBundle => ({
  ...bundle,
  registeredModel: { name: 'm', version, alias: 'champion' },
});

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('the model supervisor', () => {
  it('never overlaps loads: one that arrives during another is queued, not dropped', async () => {
    const holder: ModelHolder = { bundle: undefined };
    const metrics = createMetrics();
    const source = manualSource();
    const supervisor = createModelSupervisor({
      holder,
      source,
      metrics,
      logger: pino({ level: 'silent' }),
      pollMs: 0,
    });
    const first = supervisor.reload('start');
    const second = supervisor.reload('SIGHUP');
    const third = supervisor.reload('SIGHUP');
    expect(source.loads).toBe(1);
    source.finish(forest);
    expect(await first).toBeUndefined();
    expect(holder.bundle).toBe(forest);
    await flush();
    // The two requests that came during the first load share one more load.
    expect(source.loads).toBe(2);
    source.finish(linear);
    expect(await second).toBeUndefined();
    expect(await third).toBeUndefined();
    expect(holder.bundle).toBe(linear);
    expect(source.loads).toBe(2);
    expect(await metrics.registry.getSingleMetricAsString('heart_model_swaps_total')).toMatch(
      / 1$/,
    );
  });

  it('keeps the old model serving when a new one fails to load, and counts the failure', async () => {
    const holder: ModelHolder = { bundle: undefined };
    const metrics = createMetrics();
    const source = manualSource();
    const supervisor = createModelSupervisor({
      holder,
      source,
      metrics,
      logger: pino({ level: 'silent' }),
      pollMs: 0,
    });
    const start = supervisor.reload('start');
    source.finish(forest);
    await start;
    const broken = supervisor.reload('SIGHUP');
    source.finish(new Error('models/best_model.json is corrupt'));
    expect((await broken)?.message).toContain('corrupt');
    expect(holder.bundle).toBe(forest);
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/heart_model_load_failures_total 1/);
    expect(text).toMatch(/heart_model_reloads_total\{result="failure"\} 1/);
  });

  it('polls the source on its clock and loads only when it points elsewhere', async () => {
    const holder: ModelHolder = { bundle: undefined };
    const clock = createManualClock();
    const source = manualSource('m/1');
    const supervisor = createModelSupervisor({
      holder,
      source,
      metrics: createMetrics(),
      logger: pino({ level: 'silent' }),
      pollMs: 30_000,
      clock,
    });
    const start = supervisor.reload('start');
    source.finish(withVersion(forest, '1'));
    await start;
    supervisor.start();
    clock.advance(30_000);
    await flush();
    expect(source.loads).toBe(1); // still m/1: nothing to do
    source.target = 'm/2';
    clock.advance(29_999);
    await flush();
    expect(source.loads).toBe(1);
    clock.advance(1);
    await flush();
    expect(source.loads).toBe(2);
    source.finish(withVersion(linear, '2'));
    await flush();
    expect(holder.bundle?.registeredModel?.version).toBe('2');
    supervisor.stop();
    source.target = 'm/3';
    clock.advance(60_000);
    await flush();
    expect(source.loads).toBe(2);
    expect(clock.pendingTimers()).toBe(0);
  });
});
