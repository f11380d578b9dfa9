import { describe, expect, it } from 'vitest';
import { redactUri } from './redact-uri.js';

describe('redactUri', () => {
  it.each([
    ['postgresql://mlflow:secret@db:5432/mlflow', 'postgresql://mlflow:***@db:5432/mlflow'],
    ['mysql+pymysql://root:secret@db/mlflow', 'mysql+pymysql://root:***@db/mlflow'],
    ['ftp://user:secret@files.example/x', 'ftp://user:***@files.example/x'],
    ['https://secret@github.example/repo', 'https://***@github.example/repo'],
    ['databricks://profile:secret', 'databricks://profile:***'],
    ['mlflow:secret@host:5000', 'mlflow:***@host:5000'],
    ['http://a:b:c@host/p?q=1', 'http://a:***@host/p?q=1'],
    // An unencoded `#`, `/` or `?` in the password: the URL does not parse, and is shown hidden.
    ['https://mlflow:pa#secret@host:5000', 'https://mlflow:***@host:5000'],
    ['https://mlflow:pa/secret@host/api', 'https://mlflow:***@host/api'],
    ['https://mlflow:pa?secret@host?token=secret', 'https://mlflow:***@host?token=***'],
    ['https://host/api?token=secret&x=1#top', 'https://host/api?token=***&x=1#top'],
    ['s3://bucket/path?X-Amz-Signature=secret', 's3://bucket/path?X-Amz-Signature=***'],
    // An Azure SAS URL signs with `sig=`.
    [
      'https://acct.blob.core.windows.net/c/model.onnx?sv=2022-11-02&sp=r&sig=secret',
      'https://acct.blob.core.windows.net/c/model.onnx?sv=2022-11-02&sp=r&sig=***',
    ],
  ])('%s → %s', (uri, shown) => {
    expect(redactUri(uri)).toBe(shown);
    expect(redactUri(uri)).not.toContain('secret');
  });

  it.each([
    'http://127.0.0.1:5000',
    'file:///tmp/mlruns',
    './mlruns',
    'runs:/abc/model',
    'models:/heart-disease@champion',
    'http://127.0.0.1:5000/models/heart@champion',
    'https://host/runs/a:b/c@d',
  ])('leaves %s as it is', (uri) => {
    expect(redactUri(uri)).toBe(uri);
  });
});
