import { ApiError } from '../errors.js';
import { modelRefJson } from '../model-card.js';
import { type ModelHolder, requireModel } from '../model-holder.js';
import { JSON_BODY, type Route } from '../router.js';
import { type Patient, type Scoring, scorePatient } from '../score-patient.js';
import type { Validators } from '../validators.js';

/** What the prediction routes need: the model, its request checks and the scoring settings. */
export interface PredictRouteOptions {
  holder: ModelHolder;
  scoring: Scoring;
  /** The checks of the model being served (the seed's schema before one is loaded). */
  validators: () => Validators;
}

/**
 * `POST /predict`: one patient → `{ prediction, probability, model }`. The hot path: its JSON is
 * written directly, the model part serialised once per model.
 *
 * @example
 * const route = predictRoute({ holder, scoring, validators });
 */
export function predictRoute({ holder, scoring, validators }: PredictRouteOptions): Route {
  return {
    body: JSON_BODY,
    methods: {
      POST: ({ body }) => {
        const problem = validators().patient(body);
        if (problem) throw new ApiError(problem);
        const bundle = requireModel(holder);
        const { prediction, probability } = scorePatient(bundle, body as Patient, scoring);
        return `{"prediction":${prediction},"probability":${probability},"model":${modelRefJson(bundle)}}`;
      },
    },
  };
}
