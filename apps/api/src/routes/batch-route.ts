import { ApiError } from '../errors.js';
import { parseJsonBody } from '../http/parse-json.js';
import { resultsJson } from '../mlflow/scoring-answer.js';
import type { ModelBundle } from '../model-bundle.js';
import { modelRefJson } from '../model-card.js';
import { requireModel } from '../model-holder.js';
import { JSON_BYTES, type Route } from '../router.js';
import { type Patient, type Scores, scorePatients, scoreRows } from '../score-patient.js';
import { readBatchColumns } from './batch-columns.js';
import type { PredictRouteOptions } from './predict-route.js';

function answer(scores: Scores, bundle: ModelBundle): string {
  return `{"results":[${resultsJson(scores)}],"model":${modelRefJson(bundle)}}`;
}

/**
 * `POST /predict/batch`: `{ rows: [patient, …] }` → `{ results: [{ prediction, probability }],
 * model }`, one result per row, in order (the JSON written directly).
 *
 * @example
 * const route = batchRoute({ holder, scoring, validators });
 */
export function batchRoute({ holder, scoring, validators }: PredictRouteOptions): Route {
  return {
    body: JSON_BYTES,
    methods: {
      POST: (context) => {
        const bytes = context.body as Buffer;
        const checks = validators();
        // The common body read straight from its bytes into columns; anything else parsed and
        // checked. The errors come in the order they always did: the JSON, the rows, the model.
        const read = readBatchColumns(bytes, checks);
        let records: Patient[] = [];
        if (!read) {
          const body = parseJsonBody(bytes, { bom: true });
          const problem = checks.batch(body);
          if (problem) throw new ApiError(problem);
          records = (body as { rows: Patient[] }).rows;
        }
        const bundle = requireModel(holder);
        const scores = read
          ? scoreRows(bundle, read, checks, scoring)
          : scorePatients(bundle, records, scoring);
        return scores instanceof Promise
          ? scores.then((later) => answer(later, bundle))
          : answer(scores, bundle);
      },
    },
  };
}
