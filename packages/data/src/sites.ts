import type { Site } from './schema.js';

/** What UCI publishes for one site: the file name, its size and sha256. */
export interface SiteFile {
  site: Site;
  fileName: string;
  bytes: number;
  sha256: string;
  rows: number;
}

/**
 * The official files (UCI legacy folder), with the checksums listed in the dataset's provenance
 * record. A download of one of these files is refused unless its sha256 matches.
 */
export const SITE_FILES: Readonly<Record<Site, SiteFile>> = {
  cleveland: {
    site: 'cleveland',
    fileName: 'processed.cleveland.data',
    bytes: 18461,
    sha256: 'a74b7efa387bc9d108d7d0115d831fe9b414b29ae7124f331b622b4efa0427c8',
    rows: 303,
  },
  hungarian: {
    site: 'hungarian',
    fileName: 'processed.hungarian.data',
    bytes: 10263,
    sha256: 'd1ad108f785768cd3d7e82dc522e6f5a61eea93cccfb3a46ee8076f73fc3d796',
    rows: 294,
  },
  switzerland: {
    site: 'switzerland',
    fileName: 'processed.switzerland.data',
    bytes: 4109,
    sha256: '834a405ccf5b66ab4056bb77794adc8df0b7125186454c0a1d002d33c6c3b314',
    rows: 123,
  },
  va: {
    site: 'va',
    fileName: 'processed.va.data',
    bytes: 6737,
    sha256: 'e7c93d8d0d2acdadfa4c5e8de768e2191e7f618b952e29623f1f0d5949ff6b8f',
    rows: 200,
  },
};

/** UCI's legacy folder for the dataset; `processed.<site>.data` files live under it. */
export const UCI_BASE_URL =
  'https://archive.ics.uci.edu/ml/machine-learning-databases/heart-disease/';

/** The header-CSV name each site is cached under (Cleveland keeps the Python pipeline's name). */
export function csvFileName(site: Site): string {
  return site === 'cleveland' ? 'heart_disease_raw.csv' : `heart_disease_${site}_raw.csv`;
}
