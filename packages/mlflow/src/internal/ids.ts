import { randomInt, randomUUID } from 'node:crypto';

/** A uuid4 as 32 lowercase hex digits: MLflow's run ids and model uuids. */
export function newUuidHex(): string {
  return randomUUID().replaceAll('-', '');
}

/** A file-store experiment id: 18 decimal digits, the first not 0 (MLflow's format). */
export function newExperimentId(): string {
  let id = String(randomInt(1, 10));
  while (id.length < 18) id += String(randomInt(0, 10));
  return id;
}

const ADJECTIVES = [
  'able',
  'bold',
  'brave',
  'bright',
  'calm',
  'clever',
  'crisp',
  'eager',
  'fair',
  'gentle',
  'glad',
  'grand',
  'keen',
  'kind',
  'lively',
  'lucky',
  'merry',
  'neat',
  'proud',
  'quick',
  'quiet',
  'rare',
  'sharp',
  'shy',
  'silent',
  'smart',
  'steady',
  'sunny',
  'swift',
  'warm',
];
const NOUNS = [
  'ant',
  'bass',
  'bat',
  'bee',
  'cat',
  'crab',
  'crow',
  'deer',
  'dove',
  'duck',
  'eel',
  'elk',
  'fish',
  'fox',
  'frog',
  'goat',
  'hare',
  'hawk',
  'lark',
  'lynx',
  'mole',
  'moth',
  'newt',
  'owl',
  'ram',
  'seal',
  'slug',
  'swan',
  'toad',
  'wolf',
];

/** A default run name as MLflow makes one: `<adjective>-<noun>-<0..999>`, at most 20 characters. */
export function defaultRunName(): string {
  return `${ADJECTIVES[randomInt(ADJECTIVES.length)]}-${NOUNS[randomInt(NOUNS.length)]}-${randomInt(1000)}`;
}
