import { describe, expect, it } from 'vitest';
import { parseFilter } from './search-filter.js';

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
});
