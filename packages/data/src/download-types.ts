/** The part of a `fetch` Response that the downloader reads. */
export interface DownloadFetchResponse {
  ok: boolean;
  status: number;
  statusText: string;
  headers: { get(name: string): string | null };
  arrayBuffer(): Promise<ArrayBuffer>;
  /** The body as a stream (the global `fetch` has it): read with a running size limit. */
  body?: ReadableStream<Uint8Array> | null;
}

/** A `fetch`-compatible function; the global `fetch` fits. */
export type DownloadFetch = (
  url: string,
  init: { signal: AbortSignal; headers: Record<string, string> },
) => Promise<DownloadFetchResponse>;

/** Reported before each wait between download attempts. */
export interface DownloadRetryEvent {
  url: string;
  /** The attempt that failed, 1-based. */
  attempt: number;
  /** Why it failed. */
  reason: string;
  /** How long until the next attempt, in ms. */
  waitMs: number;
}
