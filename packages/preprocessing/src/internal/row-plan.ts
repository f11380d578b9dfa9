import type { ColumnGroup } from '../column-pipeline.js';

/**
 * The buffers of a fitted pipeline's one-row transform, made once: each group's input, each
 * step's output but the last (which writes straight into the answer at its group's offset).
 * With steps that have `transformRowInto`, a row is transformed without allocating.
 */
export interface RowPlan {
  /** One buffer per group, its columns' width: where a row is read into. */
  readonly inputs: Float64Array[];
  /** Per group, per step but the last: that step's output. */
  readonly between: Float64Array[][];
  /** Per group, per step: how many values it writes (its output width when the plan was made). */
  readonly widths: number[][];
  /** Where each group's output starts in the answer. */
  readonly offsets: number[];
  /** The answer's width. */
  readonly width: number;
}

/** The plan of fitted `groups`: widths from each step's `featureNamesOut`. */
export function rowPlan(groups: readonly ColumnGroup[]): RowPlan {
  const inputs: Float64Array[] = [];
  const between: Float64Array[][] = [];
  const widths: number[][] = [];
  const offsets: number[] = [];
  let width = 0;
  for (const group of groups) {
    inputs.push(new Float64Array(group.columns.length));
    let names: readonly string[] = group.columns;
    const buffers: Float64Array[] = [];
    const stepWidths: number[] = [];
    group.steps.forEach((step, s) => {
      names = step.featureNamesOut(names);
      stepWidths.push(names.length);
      if (s < group.steps.length - 1) buffers.push(new Float64Array(names.length));
    });
    between.push(buffers);
    widths.push(stepWidths);
    offsets.push(width);
    width += names.length;
  }
  return { inputs, between, widths, offsets, width };
}

/**
 * Runs every group's steps on the plan's inputs (already read) and writes the row into `out`.
 * Returns false, with `out` unspecified, when a step wrote another width than the plan's: the
 * plan is stale (a step was refit behind the pipeline's back, or is shared with another one).
 */
export function runRowPlan(
  plan: RowPlan,
  groups: readonly ColumnGroup[],
  out: Float64Array,
): boolean {
  for (let g = 0; g < groups.length; g++) {
    const steps = groups[g]!.steps;
    const offset = plan.offsets[g]!;
    let values: Float64Array = plan.inputs[g]!;
    if (steps.length === 0) out.set(values, offset);
    for (let s = 0; s < steps.length; s++) {
      const step = steps[s]!;
      const last = s === steps.length - 1;
      const width = plan.widths[g]![s]!;
      if (step.transformRowInto) {
        const target = last ? out : plan.between[g]![s]!;
        if (step.transformRowInto(values, target, last ? offset : 0) !== width) return false;
        values = target;
      } else {
        // A step without the allocation-free form: its own array, copied in when it is the last.
        values = step.transformRow(values);
        if (values.length !== width) return false;
        if (last) out.set(values, offset);
      }
    }
  }
  return true;
}
