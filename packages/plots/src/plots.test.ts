import { Resvg } from '@resvg/resvg-js';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { confusionMatrixSpec } from './confusion-matrix-spec.js';
import { PlotError } from './errors.js';
import { featureImportanceSpec } from './feature-importance-spec.js';
import { precisionRecallSpec } from './precision-recall-spec.js';
import { renderChart, renderPng, renderSvg } from './render.js';
import { rocCurveSpec } from './roc-curve-spec.js';

const IMPORTANCES = [
  { feature: 'oldpeak', importance: 0.078 },
  { feature: 'thal=3', importance: 0.092 },
  { feature: 'thalach', importance: 0.088 },
  { feature: 'restecg=1', importance: 0.000001 },
];

/** Dark pixels (luminance < 110) in a region given as shares of the image. */
function darkPixels(png: PNG, region: { x0: number; x1: number; y0: number; y1: number }): number {
  let count = 0;
  for (let y = Math.floor(region.y0 * png.height); y < region.y1 * png.height; y++) {
    for (let x = Math.floor(region.x0 * png.width); x < region.x1 * png.width; x++) {
      const i = (y * png.width + x) * 4;
      const luminance = 0.299 * png.data[i]! + 0.587 * png.data[i + 1]! + 0.114 * png.data[i + 2]!;
      if (luminance < 110) count++;
    }
  }
  return count;
}

function svgSize(svg: string): { width: number; height: number } {
  const match = /<svg[^>]*width="(\d+(?:\.\d+)?)"[^>]*height="(\d+(?:\.\d+)?)"/.exec(svg);
  return { width: Number(match![1]), height: Number(match![2]) };
}

describe('chart specs', () => {
  it('sorts feature importances, largest first, and keeps the top N', () => {
    const spec = featureImportanceSpec(IMPORTANCES, { top: 3 }) as {
      data: { values: { feature: string }[] };
    };
    expect(spec.data.values.map((row) => row.feature)).toEqual(['thal=3', 'thalach', 'oldpeak']);
  });

  it('names each ROC and PR series with its score, and draws lines in curve order', () => {
    const roc = rocCurveSpec([
      { name: 'lr', fpr: [0, 0, 1], tpr: [0, 1, 1], auc: 1 },
      { name: 'rf', fpr: [0, 0.5, 1], tpr: [0, 0.5, 1], auc: 0.5 },
    ]) as { layer: { data: { values: { model: string; i: number }[] } }[] };
    const models = new Set(roc.layer[1]!.data.values.map((row) => row.model));
    expect([...models]).toEqual(['lr (AUC 1.000)', 'rf (AUC 0.500)']);
    const pr = precisionRecallSpec([
      { name: 'rf', precision: [0.5, 1], recall: [1, 0], averagePrecision: 0.75 },
    ]) as {
      layer: { data: { values: { model: string }[] } }[];
    };
    expect(pr.layer[0]!.data.values[0]!.model).toBe('rf (AP 0.750)');
  });

  it('refuses empty or mismatched data with a coded error', () => {
    expect(() => featureImportanceSpec([])).toThrow(PlotError);
    expect(() => featureImportanceSpec([{ feature: 'a', importance: Number.NaN }])).toThrow(
      /not \{ feature: string, importance: number \}/,
    );
    expect(() => rocCurveSpec([{ name: 'x', fpr: [0, 1], tpr: [0], auc: 0.5 }])).toThrow(
      /equal length/,
    );
    expect(() => confusionMatrixSpec({ tn: 1, fp: -1, fn: 0, tp: 2 })).toThrow(
      /fp must be a count/,
    );
  });
});

describe('rendering in Node', () => {
  it('renders SVG with the labels as text, in the shipped font', async () => {
    const svg = await renderSvg(featureImportanceSpec(IMPORTANCES));
    expect(svg.startsWith('<svg')).toBe(true);
    for (const label of ['thal=3', 'thalach', 'restecg=1', 'Importance', 'Feature importance'])
      expect(svg).toContain(label);
    expect(svg).toContain('font-family="Heart Sans"');
  });

  it('renders a PNG of the expected size whose label area holds text (and would not without the font)', async () => {
    const spec = featureImportanceSpec(IMPORTANCES);
    const { svg, png } = await renderChart(spec, { scale: 2 });
    const image = PNG.sync.read(Buffer.from(png));
    const size = svgSize(svg);
    expect(image.width).toBe(Math.round(size.width * 2));
    expect(image.height).toBe(Math.round(size.height * 2));
    // The y-axis labels sit in the left part of the chart, below the title.
    const labels = { x0: 0, x1: 0.17, y0: 0.18, y1: 0.78 };
    expect(darkPixels(image, labels)).toBeGreaterThan(300);
    // Control: the same SVG rasterised without any font leaves that area blank.
    const bare = new Resvg(svg, {
      fitTo: { mode: 'zoom', value: 2 },
      background: 'white',
      font: { loadSystemFonts: false },
    });
    expect(darkPixels(PNG.sync.read(Buffer.from(bare.render().asPng())), labels)).toBe(0);
  });

  it('renders every chart type', async () => {
    const charts = [
      rocCurveSpec([{ name: 'lr', fpr: [0, 0.2, 1], tpr: [0, 0.8, 1], auc: 0.8 }]),
      precisionRecallSpec([
        { name: 'lr', precision: [0.5, 0.8, 1], recall: [1, 0.5, 0], averagePrecision: 0.7 },
      ]),
      confusionMatrixSpec({ tn: 28, fp: 5, fn: 2, tp: 26 }),
    ];
    for (const spec of charts) {
      const image = PNG.sync.read(Buffer.from(await renderPng(spec, { scale: 1 })));
      expect(image.width).toBeGreaterThan(200);
      expect(darkPixels(image, { x0: 0, x1: 1, y0: 0, y1: 1 })).toBeGreaterThan(500);
    }
    await expect(renderPng(charts[0]!, { scale: 0 })).rejects.toMatchObject({
      code: 'INVALID_DATA',
    });
  });
});
