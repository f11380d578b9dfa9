import type { Param } from '../types.js';
import { codePoints, truncateCodePoints } from '../validation.js';
import type { Transport } from './transport.js';

/**
 * The tracking server's MLflow version (`GET /version`, asked once and only when needed) and what
 * depends on it: how long a param value it keeps.
 */
export class ServerVersion {
  readonly #transport: Transport;
  #version: Promise<string | undefined> | undefined;

  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /** The version the server reports, or `undefined` if it does not say (or does not answer). */
  get(): Promise<string | undefined> {
    this.#version ??= this.#transport
      .call({
        method: 'GET',
        path: '/version',
        endpoint: 'version',
        expect: 'text',
        maxRetries: 0,
        timeoutMs: 3000,
      })
      .then(
        (text) =>
          typeof text === 'string' && /^\d+\.\d+/.test(text.trim()) ? text.trim() : undefined,
        () => undefined,
      );
    return this.#version;
  }

  /** Param values cut to the server's limit; the version is asked only for a value over 250 characters. */
  async fitParams(params: readonly Param[]): Promise<Param[]> {
    if (!params.some((param) => codePoints(param.value) > 250)) return [...params];
    const limit = paramValueLimit(await this.get());
    return params.map((param) => ({
      key: param.key,
      value: truncateCodePoints(param.value, limit),
    }));
  }
}

/** The longest param value a server of this MLflow version stores: 6000 characters since MLflow 2.8, 500 since 1.28, else 250. */
export function paramValueLimit(version: string | undefined): number {
  const match = version ? /^(\d+)\.(\d+)/.exec(version) : null;
  if (!match) return 6000;
  const [major, minor] = [Number(match[1]), Number(match[2])];
  if (major < 1 || (major === 1 && minor < 28)) return 250;
  if (major === 1 || (major === 2 && minor < 8)) return 500;
  return 6000;
}
