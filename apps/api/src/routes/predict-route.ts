import { ApiError } from '../errors.js';
import type { ModelBundle } from '../model-bundle.js';
import { modelRefJson } from '../model-card.js';
import { type ModelHolder, requireModel } from '../model-holder.js';
import { JSON_BODY, type Route } from '../router.js';
import { type Patient, type Score, type Scoring, scorePatient } from '../score-patient.js';
import type { Validators } from '../validators.js';

/** What the prediction routes need: the model, its request checks and the scoring settings. */
export interface PredictRouteOptions {
  holder: ModelHolder;
  scoring: Scoring;
  /** The checks of the model being served (the seed's schema before one is loaded). */
  validators: () => Validators;
}

const answer = ({ prediction, probability }: Score, bundle: ModelBundle) =>
  `{"prediction":${prediction},"probability":${probability},"model":${modelRefJson(bundle)}}`;

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
        const score = scorePatient(bundle, body as Patient, scoring);
        // heart's JS model answers synchronously; an ONNX graph's answer arrives later.
        return score instanceof Promise
          ? score.then((later) => answer(later, bundle))
          : answer(score, bundle);
      },
    },
  };
}
