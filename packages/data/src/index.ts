export type { Clock } from '@heart/internal';
export { isHeartError } from '@heart/internal';
export {
  type DownloadDatasetOptions,
  type DownloadedFile,
  type DownloadResult,
  downloadDataset,
} from './download-dataset.js';
export type { DownloadFetch, DownloadFetchResponse, DownloadRetryEvent } from './download-types.js';
export { DataError, type DataErrorCode, type DataErrorOptions, type DataIssue } from './errors.js';
export { formatHeartCsv } from './format-heart-csv.js';
export { type FeatureField, featureFields } from './input-schema.js';
export { type LoadDatasetOptions, loadDataset } from './load-dataset.js';
export {
  type Dataset,
  type DatasetSummary,
  type ParseDatasetOptions,
  parseDataset,
} from './parse-dataset.js';
export {
  COLUMN_SPECS,
  type ColumnSpec,
  FEATURE_COLUMNS,
  type FeatureColumn,
  type HeartRow,
  SITES,
  type Site,
  UCI_COLUMNS,
  type UciColumn,
} from './schema.js';
export { csvFileName, SITE_FILES, type SiteFile, UCI_BASE_URL } from './sites.js';
export { type CsvColumn, type CsvColumns, type StreamCsvOptions, streamCsv } from './stream-csv.js';
export { type ColumnDataset, type StreamDatasetOptions, streamDataset } from './stream-dataset.js';
