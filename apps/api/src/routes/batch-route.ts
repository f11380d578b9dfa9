import { ApiError } from '../errors.js';
import type { ModelBundle } from '../model-bundle.js';
import { modelRefJson } from '../model-card.js';
import { requireModel } from '../model-holder.js';
import { JSON_BODY, type Route } from '../router.js';
import { type Patient, type Scores, scorePatients } from '../score-patient.js';
import type { PredictRouteOptions } from './predict-route.js';

function answer({ predictions, probabilities }: Scores, bundle: ModelBundle): string {
  let results = '';
  for (let i = 0; i < predictions.length; i++) {
    results += `${i === 0 ? '' : ','}{"prediction":${predictions[i]},"probability":${probabilities[i]}}`;
  }
  return `{"results":[${results}],"model":${modelRefJson(bundle)}}`;
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
