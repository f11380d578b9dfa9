import { EXAMPLE_PATIENT } from '../schemas.js';

/** Cleveland row 2, with `ca` and `thal` left for the model to impute. */
const SECOND_PATIENT = {
  age: 67,
  sex: 1,
  cp: 4,
  trestbps: 160,
  chol: 286,
  fbs: 0,
  restecg: 2,
  thalach: 108,
  exang: 1,
  oldpeak: 1.5,
  slope: 2,
  ca: null,
  thal: null,
};

const PATIENTS = [EXAMPLE_PATIENT, SECOND_PATIENT] as Record<string, number | null>[];
const COLUMNS = Object.keys(EXAMPLE_PATIENT);

/** `{ summary, value }` as an OpenAPI example. */
const example = (summary: string, value: unknown) => ({ summary, value });

/** The request examples of every POST route, by route and content type; each one is a valid request. */
export const REQUEST_EXAMPLES = {
  predict: { patient: example('Cleveland row 1', EXAMPLE_PATIENT) },
  batch: { rows: example('Two patients (the second with ca, thal imputed)', { rows: PATIENTS }) },
  invocations: {
    dataframe_split: example('dataframe_split (pandas split orient)', {
      dataframe_split: { columns: COLUMNS, data: PATIENTS.map((p) => COLUMNS.map((c) => p[c])) },
    }),
    dataframe_records: example('dataframe_records', { dataframe_records: PATIENTS }),
    instances: example('instances (TF serving rows)', { instances: PATIENTS }),
    inputs: example('inputs as columns', {
      inputs: Object.fromEntries(COLUMNS.map((c) => [c, PATIENTS.map((p) => p[c])])),
    }),
    params: example('with params: a stricter threshold for this request', {
      dataframe_records: [EXAMPLE_PATIENT],
      params: { threshold: 0.7 },
    }),
  },
  invocationsCsv: {
    csv: example(
      'CSV with a header row (an index column as DataFrame.to_csv() writes it is ignored)',
      `${COLUMNS.join(',')}\n${PATIENTS.map((p) => COLUMNS.map((c) => p[c] ?? '').join(',')).join('\n')}\n`,
    ),
  },
  infer: {
    columns: example('One [N] input per column', {
      id: '42',
      inputs: COLUMNS.map((name) => ({
        name,
        shape: [PATIENTS.length],
        datatype: 'FP64',
        data: PATIENTS.map((p) => p[name]),
      })),
    }),
    tensor: example('One [N, 13] tensor, columns in schema order (age … thal)', {
      inputs: [
        {
          name: 'input-0',
          shape: [1, COLUMNS.length],
          datatype: 'FP64',
          data: COLUMNS.map((c) => EXAMPLE_PATIENT[c as keyof typeof EXAMPLE_PATIENT]),
        },
      ],
      outputs: [{ name: 'probabilities' }],
    }),
  },
};
