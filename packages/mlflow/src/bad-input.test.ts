import { join } from 'node:path';
import { tempDir } from '@heart/test-support';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ActiveRun } from './active-run.js';
import { mlflowError } from './test-support/mlflow-error.js';
import { createTrackingClient, type TrackingClient } from './tracking-client.js';

// From an audit of the public API with bad arguments: each was a raw TypeError from
// JSON.stringify or `path.replaceAll`, or a file of "null" written without a word.
let dir: { path: string; cleanup: () => Promise<void> };
let client: TrackingClient;
let run: ActiveRun;
beforeEach(async () => {
  dir = await tempDir();
  client = createTrackingClient({ trackingUri: join(dir.path, 'mlruns'), env: { USER: 'tester' } });
  run = await client.startRun({ experimentName: 'bad-input' });
});
afterEach(async () => {
  await client.close();
  await dir.cleanup();
});

describe('bad input to the artifact loggers', () => {
  it('logDict of a bigint or a cycle is INVALID_PARAMETER_VALUE naming the file; nothing written', async () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    for (const [dictionary, file] of [
      [{ rows: 303n }, 'summary.json'],
      [cycle, 'cycle.json'],
    ] as const) {
      const error = await mlflowError(run.logDict(dictionary, file));
      expect(error.code).toBe('INVALID_PARAMETER_VALUE');
      expect(error.message).toContain(
        `logDict: the dictionary for ${file} cannot be written as JSON`,
      );
    }
    expect(await client.listArtifacts(run.info.runId)).toEqual([]);
  });

  it('an artifact file that is not a string is INVALID_PARAMETER_VALUE', async () => {
    const error = await mlflowError(run.logText('text', undefined as never));
    expect(error.code).toBe('INVALID_PARAMETER_VALUE');
    expect(error.message).toBe('artifact path must be a string, got undefined');
    const empty = await mlflowError(run.logText('text', ''));
    expect(empty.message).toBe('artifact file must name a file, got an empty path');
  });

  it('logText of a non-string is INVALID_PARAMETER_VALUE, not a file holding "null"', async () => {
    const error = await mlflowError(run.logText(null as never, 'notes.txt'));
    expect(error.message).toBe('logText: text for notes.txt must be a string, got null');
    expect(await client.listArtifacts(run.info.runId)).toEqual([]);
  });
});

describe('bad input to the tracking calls', () => {
  it('logParams, logMetrics, setTags and logBatch of what is not an object or a list are INVALID_PARAMETER_VALUE', async () => {
    const id = run.info.runId;
    const cases: [Promise<unknown>, string][] = [
      [
        client.logParams(id, null as never),
        'logParams: params must be an object of key → value, got null',
      ],
      [client.logMetrics(id, undefined as never), 'logMetrics: metrics must be an object'],
      [
        client.setTags(id, 5 as never),
        'setTags: tags must be an object of key → value, got number',
      ],
      [client.logBatch(id, undefined as never), 'logBatch: the batch must be an object'],
      [client.logBatch(id, { metrics: [null as never] }), 'logBatch: metrics[0] must be an object'],
      [client.logBatch(id, { params: {} as never }), 'logBatch: params must be a list, got object'],
      [client.searchRuns({} as never), 'searchRuns needs { experimentIds: [...] }'],
    ];
    for (const [promise, message] of cases) {
      const error = await mlflowError(promise);
      expect(error.code).toBe('INVALID_PARAMETER_VALUE');
      expect(error.message).toContain(message);
    }
    expect((await client.getRun(id)).data.params).toEqual([]);
  });

  it('null options are no options: createTrackingClient(null) and logMetric(…, null)', async () => {
    await client.logMetric(run.info.runId, 'loss', 0.5, null as never);
    expect(await client.getMetricHistory(run.info.runId, 'loss')).toHaveLength(1);
    const fallback = createTrackingClient(null as never);
    expect(fallback.trackingUri).toMatch(/^file:\/\/|^http/);
    await fallback.close();
  });

  it("a client option of the wrong type is INVALID_PARAMETER_VALUE naming it, not path.resolve's TypeError", () => {
    for (const [options, named] of [
      [{ trackingUri: 5 }, 'trackingUri'],
      [{ trackingUri: 'mlruns', cwd: 5 }, 'cwd'],
      [{ env: 'x' }, 'env'],
      [{ rest: [] }, 'rest'],
      ['mlruns', 'options'],
    ] as const) {
      const error = (() => {
        try {
          createTrackingClient(options as never);
        } catch (caught) {
          return caught as { code?: string; message: string };
        }
      })();
      expect(error?.code, named).toBe('INVALID_PARAMETER_VALUE');
      expect(error?.message).toContain(named);
    }
  });

  it('a missing id is MLflow\'s "Missing value for required parameter"; startRun(null) starts a run', async () => {
    for (const [call, field] of [
      [() => client.getExperiment(undefined as never), 'experiment_id'],
      [() => client.getExperimentByName(undefined as never), 'experiment_name'],
      [() => client.setExperimentTag('', 'k', 'v'), 'experiment_id'],
      [() => client.getRun(undefined as never), 'run_id'],
      [() => client.endRun(null as never), 'run_id'],
      [() => client.deleteRun('' as never), 'run_id'],
      [() => client.getMetricHistory(run.info.runId, undefined as never), 'metric_key'],
    ] as const) {
      const error = await mlflowError(call());
      expect(error.code, field).toBe('INVALID_PARAMETER_VALUE');
      expect(error.message).toContain(`Missing value for required parameter '${field}'`);
    }
    const wrong = await mlflowError(client.getRun(5 as never));
    expect(wrong.message).toContain("parameter 'run_id'");
    const started = await client.startRun(null);
    expect(started.info.status).toBe('RUNNING');
  });
});
