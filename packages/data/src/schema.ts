/** The 13 feature columns of the processed UCI files, in file order. */
export const FEATURE_COLUMNS = [
  'age',
  'sex',
  'cp',
  'trestbps',
  'chol',
  'fbs',
  'restecg',
  'thalach',
  'exang',
  'oldpeak',
  'slope',
  'ca',
  'thal',
] as const;

/** The 14 columns of the processed UCI files (13 features and `num`), in file order. */
export const UCI_COLUMNS = [...FEATURE_COLUMNS, 'num'] as const;

/** A feature column name. */
export type FeatureColumn = (typeof FEATURE_COLUMNS)[number];
/** A column name of the processed files. */
export type UciColumn = (typeof UCI_COLUMNS)[number];

/** How one column is checked: a closed set of codes, or a numeric range. */
export interface ColumnSpec {
  name: UciColumn;
  /** `categorical` columns take one of `values`; `numeric` columns lie in `[min, max]`. */
  kind: 'categorical' | 'numeric';
  description: string;
  /** Allowed codes of a categorical column, ascending. */
  values?: readonly number[];
  /** Inclusive bounds of a numeric column. */
  min?: number;
  max?: number;
  /** Whether the value may be missing. */
  nullable: boolean;
  /** Whether a zero means "not measured" (as in the Switzerland and VA files). */
  zeroIsMissing?: boolean;
}

/**
 * The value domains of every column, from `heart-disease.names` (codes) plus plausibility bounds
 * for the measurements (the names file gives units, not ranges; the bounds are wide enough for
 * all 920 rows of the four sites and catch typing errors such as an extra digit).
 */
export const COLUMN_SPECS: Readonly<Record<UciColumn, ColumnSpec>> = {
  age: {
    name: 'age',
    kind: 'numeric',
    description: 'age in years',
    min: 1,
    max: 120,
    nullable: false,
  },
  sex: {
    name: 'sex',
    kind: 'categorical',
    description: 'sex (1 = male, 0 = female)',
    values: [0, 1],
    nullable: false,
  },
  cp: {
    name: 'cp',
    kind: 'categorical',
    description:
      'chest pain type (1 typical angina, 2 atypical angina, 3 non-anginal pain, 4 asymptomatic)',
    values: [1, 2, 3, 4],
    nullable: false,
  },
  trestbps: {
    name: 'trestbps',
    kind: 'numeric',
    description: 'resting blood pressure (mm Hg on admission)',
    min: 50,
    max: 300,
    nullable: true,
    zeroIsMissing: true,
  },
  chol: {
    name: 'chol',
    kind: 'numeric',
    description: 'serum cholesterol (mg/dl)',
    min: 50,
    max: 1000,
    nullable: true,
    zeroIsMissing: true,
  },
  fbs: {
    name: 'fbs',
    kind: 'categorical',
    description: 'fasting blood sugar > 120 mg/dl (1 = true, 0 = false)',
    values: [0, 1],
    nullable: true,
  },
  restecg: {
    name: 'restecg',
    kind: 'categorical',
    description: 'resting ECG (0 normal, 1 ST-T wave abnormality, 2 left ventricular hypertrophy)',
    values: [0, 1, 2],
    nullable: true,
  },
  thalach: {
    name: 'thalach',
    kind: 'numeric',
    description: 'maximum heart rate achieved (bpm)',
    min: 30,
    max: 250,
    nullable: true,
  },
  exang: {
    name: 'exang',
    kind: 'categorical',
    description: 'exercise induced angina (1 = yes, 0 = no)',
    values: [0, 1],
    nullable: true,
  },
  oldpeak: {
    name: 'oldpeak',
    kind: 'numeric',
    description: 'ST depression induced by exercise relative to rest (mm)',
    min: -5,
    max: 10,
    nullable: true,
  },
  slope: {
    name: 'slope',
    kind: 'categorical',
    description: 'slope of the peak exercise ST segment (1 up, 2 flat, 3 down)',
    values: [1, 2, 3],
    nullable: true,
  },
  ca: {
    name: 'ca',
    kind: 'categorical',
    description: 'number of major vessels coloured by fluoroscopy (0-3)',
    values: [0, 1, 2, 3],
    nullable: true,
  },
  thal: {
    name: 'thal',
    kind: 'categorical',
    description: 'thallium scan (3 normal, 6 fixed defect, 7 reversible defect)',
    values: [3, 6, 7],
    nullable: true,
  },
  num: {
    name: 'num',
    kind: 'categorical',
    description: 'diagnosis of heart disease (0 = < 50% narrowing, 1-4 = > 50%)',
    values: [0, 1, 2, 3, 4],
    nullable: false,
  },
};

/** The four sites of the UCI Heart Disease collection. */
export const SITES = ['cleveland', 'hungarian', 'switzerland', 'va'] as const;
/** One site of the collection. */
export type Site = (typeof SITES)[number];

/** One patient: the 14 UCI columns (missing as `null`), the binary target and the site. */
export interface HeartRow {
  age: number;
  sex: number;
  cp: number;
  trestbps: number | null;
  chol: number | null;
  fbs: number | null;
  restecg: number | null;
  thalach: number | null;
  exang: number | null;
  oldpeak: number | null;
  slope: number | null;
  ca: number | null;
  thal: number | null;
  /** Diagnosis 0-4. */
  num: number;
  /** `1` when `num > 0` (heart disease present), else `0`. */
  target: 0 | 1;
  /** The site the row comes from (`cleveland` for the header CSV unless told otherwise). */
  site: Site;
}
