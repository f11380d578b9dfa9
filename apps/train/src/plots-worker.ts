/**
 * A worker thread that renders charts while the main thread trains: it loads vega and resvg and
 * warms them up on every chart type as soon as the process starts, then answers `{ id, spec }`
 * with `{ id, svg, png }`.
 */
import { parentPort } from 'node:worker_threads';
import {
  confusionMatrixSpec,
  featureImportanceSpec,
  precisionRecallSpec,
  renderChart,
  renderPng,
  renderSvg,
  rocCurveSpec,
} from '@heart/plots';

/** 1.5× the chart size: sharp in MLflow's artifact view, a third cheaper to rasterise than 2×. */
export const PNG_SCALE = 1.5;

if (!parentPort) throw new Error('plots-worker must run as a worker thread');
const port = parentPort;
// Warm-up: one SVG of each chart type (each has its own vega code paths) and one small PNG.
const tiny = { width: 40, height: 40 };
const warm = (async () => {
  for (const spec of [
    confusionMatrixSpec({ tn: 1, fp: 1, fn: 1, tp: 1 }, tiny),
    featureImportanceSpec([{ feature: 'x', importance: 1 }], tiny),
    rocCurveSpec([{ name: 'a', fpr: [0, 1], tpr: [0, 1], auc: 0.5 }], tiny),
    precisionRecallSpec(
      [{ name: 'a', precision: [0.5, 1], recall: [1, 0], averagePrecision: 0.5 }],
      tiny,
    ),
  ]) {
    await renderSvg(spec).catch(() => undefined);
  }
  await renderPng(confusionMatrixSpec({ tn: 1, fp: 1, fn: 1, tp: 1 }, tiny), { scale: 1 }).catch(
    () => undefined,
  );
})();
port.on('message', async (message: { id: number; spec: Parameters<typeof renderChart>[0] }) => {
  await warm;
  try {
    const { svg, png } = await renderChart(message.spec, { scale: PNG_SCALE });
    port.postMessage({ id: message.id, svg, png }, [png.buffer as ArrayBuffer]);
  } catch (error) {
    port.postMessage({ id: message.id, error: (error as Error).message });
  }
});
