import { LogisticRegression } from '@heart/models';
import { Pipeline } from '@heart/pipeline';
import { ColumnPipeline, SimpleImputer } from '@heart/preprocessing';
import { describe, expect, it } from 'vitest';
import { completeRecords } from './pipeline-parts.js';

describe('completeRecords', () => {
  it('fills an absent nullable field with null, whatever it is called (`constructor` too)', () => {
    const pipeline = new Pipeline({
      preprocessor: new ColumnPipeline({
        groups: [{ name: 'all', columns: ['x', 'constructor'], steps: [new SimpleImputer()] }],
      }),
      classifier: new LogisticRegression(),
      inputSchema: [
        { name: 'x', kind: 'numeric', min: 0, max: 9, nullable: false },
        { name: 'constructor', kind: 'numeric', min: 0, max: 9, nullable: true },
      ],
    });
    expect(completeRecords(pipeline, [{ x: 1 }, { x: 2, constructor: 3 }])).toEqual([
      { x: 1, constructor: null },
      { x: 2, constructor: 3 },
    ]);
  });
});
