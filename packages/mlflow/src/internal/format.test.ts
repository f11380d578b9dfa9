import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { listFiles, MLFLOW_GOLDEN_DIR } from '@heart/test-support';
import { describe, expect, it } from 'vitest';
import { pythonFloat, pythonJsonDumps, utcTimeCreated } from './python-format.js';
import { parseFlatMapping, parseYaml, toYaml } from './yaml.js';

describe('pythonFloat (str(float) in Python)', () => {
  it.each([
    [0.85, '0.85'],
    [3, '3.0'],
    [-2, '-2.0'],
    [1e-5, '1e-05'],
    [0.0001, '0.0001'],
    [1.5e-7, '1.5e-07'],
    [123456789012345680, '1.2345678901234568e+17'],
    [1e16, '1e+16'],
    [9999999999999998, '9999999999999998.0'],
    [0.1 + 0.2, '0.30000000000000004'],
    [0, '0.0'],
    [Number.NaN, 'nan'],
    [Number.POSITIVE_INFINITY, 'inf'],
    [Number.NEGATIVE_INFINITY, '-inf'],
  ])('%s → %s', (value, expected) => {
    expect(pythonFloat(value)).toBe(expected);
  });
});

describe('pythonJsonDumps (json.dumps in Python)', () => {
  it('uses Python separators, escapes non-ASCII, keeps key order', () => {
    expect(pythonJsonDumps({ b: [1, 2.5, null], a: { é: 'ü', t: true } })).toBe(
      '{"b": [1, 2.5, null], "a": {"\\u00e9": "\\u00fc", "t": true}}',
    );
    expect(pythonJsonDumps([Number.NaN, Number.NEGATIVE_INFINITY])).toBe('[NaN, -Infinity]');
  });

  it('formats utc_time_created with microseconds', () => {
    expect(utcTimeCreated(new Date(Date.UTC(2026, 10, 26, 19, 2, 7, 702)))).toBe(
      '2026-11-26 19:02:07.702000',
    );
  });
});

describe('toYaml (PyYAML safe_dump, block style)', () => {
  it('quotes exactly what PyYAML quotes', () => {
    const yaml = toYaml(
      {
        id: '906493834355891645',
        empty: '',
        plain: 'random-forest',
        uri: 'file:///data/mlruns/1',
        colon: 'rf: v1',
        hash: 'a #b',
        quote: "it's",
        bool: 'yes',
        nul: 'null',
        float: '1.0',
        lead: '-x',
        dash: '- x',
        newline: 'a\nb',
        unicode: 'naïve',
        trailing: 'x ',
        date: '2026-11-26',
        number: 4,
        none: null,
        list: [],
      },
      { sortKeys: false },
    );
    expect(yaml).toBe(
      [
        "id: '906493834355891645'",
        "empty: ''",
        'plain: random-forest',
        'uri: file:///data/mlruns/1',
        "colon: 'rf: v1'",
        "hash: 'a #b'",
        "quote: it's",
        "bool: 'yes'",
        "nul: 'null'",
        "float: '1.0'",
        'lead: -x',
        "dash: '- x'",
        'newline: "a\\nb"',
        'unicode: naïve',
        "trailing: 'x '",
        "date: '2026-11-26'",
        'number: 4',
        'none: null',
        'list: []',
        '',
      ].join('\n'),
    );
    expect(parseYaml(yaml)).toMatchObject({
      id: '906493834355891645',
      bool: 'yes',
      newline: 'a\nb',
      quote: "it's",
      date: '2026-11-26',
    });
  });

  it('nests mappings and sequences as PyYAML does, sorted by default', () => {
    expect(
      toYaml({
        dependencies: ['python=3.11.2', { pip: ['mlflow==2.17.2'] }],
        channels: ['conda-forge'],
        name: 'env',
      }),
    ).toBe(
      'channels:\n- conda-forge\ndependencies:\n- python=3.11.2\n- pip:\n  - mlflow==2.17.2\nname: env\n',
    );
    expect(parseYaml('experiment_id: 271828182845904523\n')).toEqual({
      experiment_id: 271828182845904523n,
    });
  });
});

describe('parseFlatMapping (the fast path for meta.yaml)', () => {
  it('reads what the YAML 1.1 parser reads, for every meta.yaml MLflow wrote and heart writes', async () => {
    const texts: string[] = [];
    for (const tree of ['filestore-handwritten', 'filestore-python-client']) {
      const root = join(MLFLOW_GOLDEN_DIR, tree);
      for (const file of (await listFiles(root)).filter((path) => path.endsWith('meta.yaml')))
        texts.push(await readFile(join(root, file), 'utf8'));
    }
    for (const name of [
      "rf: v1 #2 'quoted'",
      '',
      'x'.repeat(300),
      'héllo wörld',
      'yes',
      '12',
      'a:',
      '1e5',
      '3f2a',
      `${'0'.repeat(31)}e`,
    ])
      texts.push(toYaml({ end_time: null, run_name: name, status: 3, tags: [], user_id: 'root' }));
    let fast = 0;
    for (const text of texts) {
      const flat = parseFlatMapping(text);
      if (flat === undefined) continue;
      fast++;
      expect(flat, text).toEqual(parseYaml(text));
    }
    expect(fast).toBeGreaterThan(texts.length / 2);
  });

  it('leaves anything else to the parser', () => {
    for (const text of [
      'experiment_id: 271828182845904523\n', // beyond 2^53: a bigint
      'status: yes\n',
      'run_name: "double quoted"\n',
      'name: a #comment\n',
      'tags:\n- a\n',
      'a: 1\na: 2\n',
      'run_name: x', // no final newline
      'start_time: 007\n',
      'value: 1.5\n',
      'run_id: 12345678901234567890123456789012\n', // digits only: an int
      'run_id: 0x1f\n',
      `run_id: ${'1'.repeat(16)}e${'2'.repeat(15)}\n`, // a float, to the parser
    ])
      expect(parseFlatMapping(text), text).toBeUndefined();
  });
});
