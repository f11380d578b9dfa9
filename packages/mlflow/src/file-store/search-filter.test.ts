import { describe, expect, it } from 'vitest';
import type { Run } from '../types.js';
import { matchesFilter, parseFilter, sortRuns } from './search-filter.js';

describe('parseFilter', () => {
  it('parses MLflow clauses and refuses the rest', () => {
    expect(
      parseFilter(
        "metrics.roc_auc >= 0.9 AND params.`max depth` = '5' and tags.model_type LIKE 'rand%'",
      ),
    ).toEqual([
      { entity: 'metrics', key: 'roc_auc', comparator: '>=', value: 0.9 },
      { entity: 'params', key: 'max depth', comparator: '=', value: '5' },
      { entity: 'tags', key: 'model_type', comparator: 'LIKE', value: 'rand%' },
    ]);
    expect(parseFilter('')).toEqual([]);
    for (const bad of [
      'this is not a filter',
      "metrics.x = 'a'",
      'params.x > 1',
      'metrics.x >',
      'attributes.color = "red"',
      'metrics.x > 1 or metrics.y > 2',
    ]) {
      expect(() => parseFilter(bad), bad).toThrow(/Invalid clause/);
    }
  });

  it('knows no entity or attribute that every object inherits', () => {
    for (const entity of ['constructor', '__proto__', 'toString']) {
      expect(() => parseFilter(`${entity}.x = 'a'`), entity).toThrow(/unknown entity/);
      expect(() => sortRuns([], [`${entity}.x`]), entity).toThrow(/Invalid order_by clause/);
    }
    const run = {
      info: { runId: 'r1', runName: 'one', status: 'FINISHED', lifecycleStage: 'active' },
      data: { metrics: [], params: [], tags: [] },
    } as unknown as Run;
    expect(matchesFilter(run, parseFilter("attributes.run_name = 'one'"))).toBe(true);
    expect(() => parseFilter("attributes.constructor LIKE '%native code%'")).toThrow(
      /unknown attribute/,
    );
  });
});
