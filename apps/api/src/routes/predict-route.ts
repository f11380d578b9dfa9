import { modelRefJson } from '../model-card.js';
import { type ModelHolder, requireModel } from '../model-holder.js';
import type { Route } from '../router.js';
import { type Patient, type Scoring, scorePatient } from '../score-patient.js';

/** What the prediction routes need: the model and the scoring settings. */
export interface PredictRouteOptions {
  holder: ModelHolder;
  scoring: Scoring;
}

/**
 * `POST /predict`: one patient → `{ prediction, probability, model }`. The hot path: its JSON is
 * written directly, the model part serialised once per model.
 *
 * @example
 * const route = predictRoute({ holder, scoring });
 */
export function predictRoute({ holder, scoring }: PredictRouteOptions): Route {
  return {
    body: 'patient',
    methods: {
      POST: ({ body }) => {
        const bundle = requireModel(holder);
        const { prediction, probability } = scorePatient(bundle, body as Patient, scoring);
        return `{"prediction":${prediction},"probability":${JSON.stringify(probability)},"model":${modelRefJson(bundle)}}`;
      },
    },
  };
}
