import { ApiError } from '../errors.js';
import { resultsJson } from '../mlflow/scoring-answer.js';
import type { ModelBundle } from '../model-bundle.js';
import { modelRefJson } from '../model-card.js';
import { requireModel } from '../model-holder.js';
import { JSON_BODY, type Route } from '../router.js';
import { type Patient, type Scores, scorePatients } from '../score-patient.js';
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
    body: JSON_BODY,
    methods: {
      POST: ({ body }) => {
        const problem = validators().batch(body);
        if (problem) throw new ApiError(problem);
        const bundle = requireModel(holder);
        const rows = (body as { rows: Patient[] }).rows;
        const scores = scorePatients(bundle, rows, scoring);
        return scores instanceof Promise
          ? scores.then((later) => answer(later, bundle))
          : answer(scores, bundle);
      },
    },
  };
}
