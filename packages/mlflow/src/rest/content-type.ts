import { posix } from 'node:path';
import { ownValue } from '@heart/internal';

/** Extensions MLflow uploads as `text/plain` (`mlflow.utils.mime_type_utils`). */
const TEXT_EXTENSIONS = new Set([
  'txt',
  'log',
  'err',
  'cfg',
  'conf',
  'cnf',
  'cf',
  'ini',
  'properties',
  'prop',
  'hocon',
  'toml',
  'yaml',
  'yml',
  'xml',
  'json',
  'js',
  'py',
  'py3',
  'csv',
  'tsv',
  'md',
  'rst',
  'MLmodel',
  'mlproject',
]);
const MIME_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  svg: 'image/svg+xml',
  webp: 'image/webp',
  bmp: 'image/bmp',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  html: 'text/html',
  htm: 'text/html',
  css: 'text/css',
  pdf: 'application/pdf',
  zip: 'application/zip',
  tar: 'application/x-tar',
  wav: 'audio/x-wav',
  mp3: 'audio/mpeg',
  mp4: 'video/mp4',
};

/** The `Content-Type` MLflow's client sends for an artifact file (SPEC §4.2). */
export function guessContentType(path: string): string {
  const name = posix.basename(path);
  const dot = name.lastIndexOf('.');
  const extension = dot <= 0 ? name : name.slice(dot + 1);
  if (TEXT_EXTENSIONS.has(extension)) return 'text/plain';
  return (
    (ownValue(MIME_TYPES, extension.toLowerCase()) as string | undefined) ??
    'application/octet-stream'
  );
}
