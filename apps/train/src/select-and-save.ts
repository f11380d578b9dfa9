import { resolve } from 'node:path';
import { savePipelineDir } from '@heart/pipeline';
import type { SelectionMetric, TrainOptions } from './options.js';
import type { TrainedModel } from './training-result.js';

/** The model with the best value of `metric` (lowest for the losses); the first on ties. */
export function pickBest<T extends Pick<TrainedModel, 'metrics'>>(
  models: readonly T[],
  metric: SelectionMetric,
): T {
  const lowerIsBetter = metric === 'log_loss' || metric === 'brier';
  return models.reduce((best, model) => {
    const better = lowerIsBetter
      ? model.metrics[metric] < best.metrics[metric]
      : model.metrics[metric] > best.metrics[metric];
    return better ? model : best;
  });
}

/** Writes the best pipeline to `models/` (the seed's three files), with why it was selected. */
export async function saveBest(best: TrainedModel, options: TrainOptions): Promise<string> {
  const modelDir = resolve(options.root, options.outputDir);
  best.pipeline.training = {
    ...best.pipeline.training,
    selection: { metric: options.selectMetric, value: best.metrics[options.selectMetric] },
  };
  await savePipelineDir(modelDir, best.pipeline);
  return modelDir;
}
