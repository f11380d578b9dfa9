import { modelRef } from '../model-card.js';
import { requireModel } from '../model-holder.js';
import type { Route } from '../router.js';
import { type Patient, scorePatient } from '../score-patient.js';
import type { PredictRouteOptions } from './predict-route.js';

/**
 * `POST /predict/batch`: `{ rows: [patient, …] }` → `{ results: [{ prediction, probability }],
 * model }`, one result per row, in order.
 *
 * @example
 * const route = batchRoute({ holder, scoring });
 */
export function batchRoute({ holder, scoring }: PredictRouteOptions): Route {
  return {
    body: 'batch',
    rootFields: ['rows'],
    methods: {
      POST: ({ body }) => {
        const bundle = requireModel(holder);
        return {
          results: (body as { rows: Patient[] }).rows.map((patient) =>
            scorePatient(bundle, patient, scoring),
          ),
          model: modelRef(bundle),
        };
      },
    },
  };
}
