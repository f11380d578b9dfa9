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
    ['https://host/api?token=secret&x=1#top', 'https://host/api?token=***&x=1#top'],
    ['s3://bucket/path?X-Amz-Signature=secret', 's3://bucket/path?X-Amz-Signature=***'],
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
  ])('leaves %s as it is', (uri) => {
    expect(redactUri(uri)).toBe(uri);
  });
});
