/** What api.bench.ts sends: one wrk script per route and body (1 row, 100 rows). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FEATURE_COLUMNS, loadDataset } from '@heart/data';
import { UCI_DIR } from '@heart/test-support';

/** One load: a route, its body, and how many rows each request scores. */
export interface Scenario {
  /** Figure key prefix (`predict`, `batch`, …). */
  key: string;
  /** How the figure is named in the results. */
  label: string;
  path: string;
  rows: number;
  /** The body of every request, or bodies sent in turn. */
  body: string | string[];
  /** The wrk script that POSTs it (written by {@link writeScenarios}). */
  script: string;
}

const COLUMNS = FEATURE_COLUMNS;

/** The first `count` Cleveland patients as clients send them (ca, thal may be null). */
async function patients(count: number): Promise<Record<string, number | null>[]> {
  const { rows } = await loadDataset(join(UCI_DIR, 'processed.cleveland.data'));
  return rows
    .slice(0, count)
    .map((row) => Object.fromEntries(COLUMNS.map((name) => [name, row[name] ?? null])));
}

const split = (rows: Record<string, number | null>[]) =>
  JSON.stringify({
    dataframe_split: { columns: COLUMNS, data: rows.map((row) => COLUMNS.map((c) => row[c])) },
  });

/** OIP v2: one [N] FP64 input per column. */
const perColumn = (rows: Record<string, number | null>[]) =>
  JSON.stringify({
    inputs: COLUMNS.map((name) => ({
      name,
      shape: [rows.length],
      datatype: 'FP64',
      data: rows.map((row) => row[name]),
    })),
  });

/** OIP v2: one [N, 13] FP64 tensor, columns in schema order. */
const tensor = (rows: Record<string, number | null>[]) =>
  JSON.stringify({
    inputs: [
      {
        name: 'input-0',
        shape: [rows.length, COLUMNS.length],
        datatype: 'FP64',
        data: rows.flatMap((row) => COLUMNS.map((c) => row[c])),
      },
    ],
  });

const lua = (path: string, body: string | string[]) =>
  typeof body === 'string'
    ? `wrk.method = "POST"\nwrk.path = "${path}"\nwrk.body = [==[${body}]==]\nwrk.headers["Content-Type"] = "application/json"\n`
    : // Each request formatted once per wrk thread (init), then sent in turn: request() only picks.
      [
        'local bodies = {',
        ...body.map((item) => `  [==[${item}]==],`),
        '}',
        'local requests = {}',
        'local turn = 0',
        'function init(args)',
        '  for i, item in ipairs(bodies) do',
        `    requests[i] = wrk.format("POST", "${path}", { ["Content-Type"] = "application/json" }, item)`,
        '  end',
        'end',
        'function request()',
        '  turn = turn % #requests + 1',
        '  return requests[turn]',
        'end',
        '',
      ].join('\n');

/** Writes each scenario's wrk script into `folder`; `only` keeps the listed keys. */
export async function writeScenarios(folder: string, only?: string[]): Promise<Scenario[]> {
  const one = await patients(1);
  const hundred = await patients(100);
  const model = 'heart-disease';
  const all: Omit<Scenario, 'script'>[] = [
    {
      key: 'predict',
      label: 'POST /predict',
      path: '/predict',
      rows: 1,
      body: JSON.stringify(one[0]),
    },
    {
      // Real traffic varies: one patient again and again lets the CPU learn every branch of the
      // forest's walk, which a stream of different patients does not.
      key: 'predictmix',
      label: 'POST /predict, 100 patients in turn',
      path: '/predict',
      rows: 1,
      body: hundred.map((patient) => JSON.stringify(patient)),
    },
    {
      key: 'inv1',
      label: 'POST /invocations, 1 row',
      path: '/invocations',
      rows: 1,
      body: split(one),
    },
    {
      key: 'oip1',
      label: 'POST /v2/…/infer, 1 row (one [1,13] tensor)',
      path: `/v2/models/${model}/infer`,
      rows: 1,
      body: tensor(one),
    },
    {
      key: 'oip1c',
      label: 'POST /v2/…/infer, 1 row (13 [1] inputs)',
      path: `/v2/models/${model}/infer`,
      rows: 1,
      body: perColumn(one),
    },
    {
      key: 'batch',
      label: 'POST /predict/batch, 100 rows',
      path: '/predict/batch',
      rows: 100,
      body: JSON.stringify({ rows: hundred }),
    },
    {
      key: 'inv100',
      label: 'POST /invocations, 100 rows',
      path: '/invocations',
      rows: 100,
      body: split(hundred),
    },
    {
      key: 'oip100',
      label: 'POST /v2/…/infer, 100 rows (one [100,13] tensor)',
      path: `/v2/models/${model}/infer`,
      rows: 100,
      body: tensor(hundred),
    },
  ];
  return all
    .filter((scenario) => !only || only.includes(scenario.key))
    .map((scenario) => {
      const script = join(folder, `${scenario.key}.lua`);
      writeFileSync(script, lua(scenario.path, scenario.body));
      return { ...scenario, script };
    });
}
