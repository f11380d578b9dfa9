import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TopLevelSpec } from 'vega-lite';
import { PlotError } from './errors.js';
import { FONT_FAMILY } from './theme.js';

const FONT_NAMES = ['HeartSans-Regular.ttf', 'HeartSans-Bold.ttf'];
let shippedFonts: string[] | undefined;

/**
 * The shipped font files: beside this module (`../fonts/`), or — when the module was bundled into
 * another file — in the installed `@heart/plots` package.
 */
function findShippedFonts(): string[] {
  if (shippedFonts) return shippedFonts;
  const candidates = [fileURLToPath(new URL('../fonts/', import.meta.url))];
  try {
    candidates.push(
      join(dirname(createRequire(import.meta.url).resolve('@heart/plots/package.json')), 'fonts'),
    );
  } catch {
    // not installed under its name (running from source): the first candidate is the one
  }
  for (const folder of candidates) {
    const files = FONT_NAMES.map((name) => join(folder, name));
    if (files.every((file) => existsSync(file))) {
      shippedFonts = files;
      return files;
    }
  }
  throw new PlotError({
    code: 'FONT_MISSING',
    message: `@heart/plots cannot find its fonts (${FONT_NAMES.join(', ')}) in ${candidates.join(' or ')}; reinstall the package or pass fontFiles`,
  });
}

/**
 * Renders a vega-lite spec to SVG in Node (vega's SVG renderer; no browser, no canvas).
 *
 * @example
 * ```ts
 * const svg = await renderSvg(rocCurveSpec(series));
 * ```
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
  try {
    const compiled = vegaLite.compile(spec).spec;
    const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
    const svg = await view.toSVG();
    view.finalize();
    return svg;
  } catch (error) {
    throw new PlotError({
      code: 'RENDER_FAILED',
      message: `vega could not render the chart: ${(error as Error).message}`,
      cause: error,
    });
  }
}

/** Options for {@link renderPng}. */
export interface RenderPngOptions {
  /** Pixel density: 2 gives a sharp image at twice the chart's size. Default 2. */
  scale?: number;
  /** Font files (TTF/OTF) to render text with. Default: the shipped Heart Sans. */
  fontFiles?: readonly string[];
}

/**
 * Renders a vega-lite spec to PNG: SVG from vega, rasterised by resvg with the shipped font
 * (text never depends on the machine's fonts).
 *
 * @example
 * ```ts
 * await writeFile('roc.png', await renderPng(rocCurveSpec(series)));
 * ```
 */
export async function renderPng(
  spec: TopLevelSpec,
  options: RenderPngOptions = {},
): Promise<Uint8Array> {
  return svgToPng(await renderSvg(spec), options);
}

/** Rasterises an SVG with resvg and the shipped font. */
export async function svgToPng(svg: string, options: RenderPngOptions = {}): Promise<Uint8Array> {
  const scale = options.scale ?? 2;
  if (!(scale > 0 && scale <= 8))
    throw new PlotError({ code: 'INVALID_DATA', message: `scale must be in (0, 8], got ${scale}` });
  const { Resvg } = await import('@resvg/resvg-js');
  try {
    const resvg = new Resvg(svg, {
      fitTo: { mode: 'zoom', value: scale },
      background: 'white',
      font: {
        fontFiles: [...(options.fontFiles ?? findShippedFonts())],
        loadSystemFonts: false,
        defaultFontFamily: FONT_FAMILY,
        sansSerifFamily: FONT_FAMILY,
      },
    });
    return resvg.render().asPng();
  } catch (error) {
    if (error instanceof PlotError) throw error;
    throw new PlotError({
      code: 'RENDER_FAILED',
      message: `resvg could not rasterise the chart: ${(error as Error).message}`,
      cause: error,
    });
  }
}

/** A chart in every form: the vega-lite spec, SVG and PNG. */
export interface RenderedChart {
  spec: TopLevelSpec;
  svg: string;
  png: Uint8Array;
}

/**
 * Renders a spec to SVG and PNG at once.
 *
 * @example
 * ```ts
 * const { spec, svg, png } = await renderChart(confusionMatrixSpec(counts));
 * ```
 */
export async function renderChart(
  spec: TopLevelSpec,
  options: RenderPngOptions = {},
): Promise<RenderedChart> {
  const svg = await renderSvg(spec);
  return { spec, svg, png: await svgToPng(svg, options) };
}
