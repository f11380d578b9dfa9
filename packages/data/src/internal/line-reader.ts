import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { cannotRead } from '../errors.js';

/**
 * What {@link forEachLine} gives each line: the chunk of text holding it, where the line starts and
 * ends in it (no line end, no BOM: no substring is made per line), and its 1-based number.
 */
export type LineHandler = (
  text: string,
  start: number,
  end: number,
  line: number,
) => 'stop' | undefined;

/**
 * Reads a file in 1 MiB chunks and calls `onLine` for each line, synchronously within a chunk:
 * the text is never held whole. CRLF and a leading BOM are handled; `onLine` returning `'stop'`
 * ends the read early. Resolves with the sha256 (hex) of the bytes read and whether the read was
 * stopped. A file that cannot be opened is `FILE_NOT_FOUND`.
 */
export async function forEachLine(
  path: string,
  onLine: LineHandler,
): Promise<{ sha256: string; stopped: boolean }> {
  const hash = createHash('sha256');
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let line = 0;
  let stopped = false;
  const emit = (text: string, start: number, end: number) => {
    line++;
    const stop = end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
    const from = line === 1 && text.charCodeAt(start) === 0xfeff ? start + 1 : start;
    return onLine(text, from, stop, line);
  };
  const stream = createReadStream(path, { highWaterMark: 1 << 20 });
  try {
    for await (const chunk of stream) {
      hash.update(chunk as Buffer);
      const text = rest + decoder.write(chunk as Buffer);
      let start = 0;
      for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
        if (emit(text, start, end) === 'stop') stopped = true;
        start = end + 1;
        if (stopped) break;
      }
      if (stopped) break;
      rest = text.slice(start);
    }
  } catch (error) {
    throw cannotRead(path, error);
  } finally {
    stream.destroy();
  }
  if (!stopped) {
    rest += decoder.end();
    if (rest !== '') emit(rest, 0, rest.length);
  }
  return { sha256: hash.digest('hex'), stopped };
}
