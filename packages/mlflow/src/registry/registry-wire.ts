import type { ModelStage, ModelVersion, RegisteredModel } from './registry-types.js';
import { STAGES } from './registry-validation.js';

/**
 * The registry's wire shapes (SPEC §8.1) read into the public ones: snake_case to camelCase,
 * `version` a string, tags and aliases as records, and what a server leaves out (proto defaults:
 * no description, no tags, no aliases, no versions) as `''`, `{}`, `[]`.
 */

type Json = Record<string, unknown>;

function record(value: unknown): Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Json)
    : {};
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function text(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : String(value);
}

function int64(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
  return 0;
}

function tags(value: unknown): Record<string, string> {
  return Object.fromEntries(
    list(value).map((tag) => [text(record(tag).key), text(record(tag).value)]),
  );
}

function stage(value: unknown): ModelStage {
  const name = text(value);
  return STAGES.find((known) => known.toLowerCase() === name.toLowerCase()) ?? 'None';
}

export function parseModelVersion(value: unknown): ModelVersion {
  const json = record(value);
  return {
    name: text(json.name),
    version: text(json.version),
    creationTimestamp: int64(json.creation_timestamp),
    lastUpdatedTimestamp: int64(json.last_updated_timestamp),
    currentStage: stage(json.current_stage),
    description: text(json.description),
    source: text(json.source),
    runId: text(json.run_id),
    status: text(json.status),
    runLink: text(json.run_link),
    tags: tags(json.tags),
    aliases: list(json.aliases).map(text),
  };
}

export function parseRegisteredModel(value: unknown): RegisteredModel {
  const json = record(value);
  return {
    name: text(json.name),
    creationTimestamp: int64(json.creation_timestamp),
    lastUpdatedTimestamp: int64(json.last_updated_timestamp),
    description: text(json.description),
    latestVersions: list(json.latest_versions).map(parseModelVersion),
    tags: tags(json.tags),
    aliases: Object.fromEntries(
      list(json.aliases).map((alias) => [text(record(alias).alias), text(record(alias).version)]),
    ),
  };
}

/** A list of model versions (`model_versions`, absent when none). */
export function parseModelVersions(value: unknown): ModelVersion[] {
  return list(value).map(parseModelVersion);
}

/** The next page token, when the answer has a non-empty one. */
export function pageToken(value: unknown): { nextPageToken?: string } {
  return typeof value === 'string' && value !== '' ? { nextPageToken: value } : {};
}
