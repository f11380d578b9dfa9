import { FEATURE_COLUMNS, type HeartRow, loadDataset } from '@heart/data';
import { fixturePath } from '@heart/test-support';

/** The 303 Cleveland rows, from the repository's fixture copy of the UCI file. */
export async function clevelandRows(): Promise<HeartRow[]> {
  return (await loadDataset(fixturePath('data/uci-heart-disease/processed.cleveland.data'))).rows;
}

/** The Cleveland input schema: every feature numeric, ca and thal nullable. */
export const CLEVELAND_SCHEMA = FEATURE_COLUMNS.map((name) => ({
  name,
  kind: 'numeric' as const,
  nullable: name === 'ca' || name === 'thal',
}));
