import type { ColumnGroup, ColumnPipelineOptions } from '../column-pipeline.js';
import { PreprocessingError } from '../errors.js';

/**
 * Checks a {@link ColumnPipelineOptions} (a non-empty list of groups, each with a unique name,
 * column names and a list of steps; `INVALID_OPTION` otherwise) and returns copies of its groups.
 */
export function readColumnGroups(options: ColumnPipelineOptions): ColumnGroup[] {
  if (!options || !Array.isArray(options.groups) || options.groups.length === 0) {
    throw new PreprocessingError({
      code: 'INVALID_OPTION',
      message: 'ColumnPipeline: groups must be a non-empty array',
    });
  }
  const names = new Set<string>();
  for (const group of options.groups) {
    if (typeof group.name !== 'string' || group.name === '' || names.has(group.name)) {
      throw new PreprocessingError({
        code: 'INVALID_OPTION',
        message: `ColumnPipeline: every group needs a unique, non-empty name (got ${JSON.stringify(group.name)})`,
      });
    }
    names.add(group.name);
    if (
      !Array.isArray(group.columns) ||
      group.columns.length === 0 ||
      group.columns.some((column: unknown) => typeof column !== 'string')
    ) {
      throw new PreprocessingError({
        code: 'INVALID_OPTION',
        message: `ColumnPipeline: group "${group.name}" needs a non-empty list of column names`,
      });
    }
    if (!Array.isArray(group.steps)) {
      throw new PreprocessingError({
        code: 'INVALID_OPTION',
        message: `ColumnPipeline: group "${group.name}" needs a list of steps`,
      });
    }
  }
  return options.groups.map((group) => ({
    name: group.name,
    columns: [...group.columns],
    steps: [...group.steps],
  }));
}
