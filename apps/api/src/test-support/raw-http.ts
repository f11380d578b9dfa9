import { connect } from 'node:net';

/** An answer as read off the socket. */
export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * Sends `request` (exact bytes: request line, headers, body) to 127.0.0.1:`port` and reads one
 * answer (`content-length` framed; none for `head`), then closes. With `keepWriting`, bytes that follow are
 * written as long as the server reads them — a client still sending a body when it is refused.
 * With `readAfterWrite`, nothing is read until the whole request is written (as most clients do):
 * a server that closes on an unread body then fails the write, and the answer is lost.
 *
 * @example
 * await rawExchange(port, Buffer.from('GET /ping HTTP/1.1\r\nHost: x\r\n\r\n')); // { status: 200, … }
 */
export function rawExchange(
  port: number,
  request: Buffer,
  options: {
    keepWriting?: Buffer;
    timeoutMs?: number;
    head?: boolean;
    readAfterWrite?: boolean;
  } = {},
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = Buffer.alloc(0);
    let done = false;
    const timer = setTimeout(
      () => finish(new Error('no answer in time')),
      options.timeoutMs ?? 20_000,
    );
    const finish = (error?: Error, answer?: RawAnswer) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(answer!);
    };
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = received.subarray(0, end).toString('latin1').split('\r\n');
      const status = Number(head[0]!.split(' ')[1]);
      const headers: Record<string, string> = {};
      for (const line of head.slice(1)) {
        const at = line.indexOf(':');
        headers[line.slice(0, at).trim().toLowerCase()] = line.slice(at + 1).trim();
      }
      const length = options.head ? 0 : Number(headers['content-length'] ?? 0);
      const body = received.subarray(end + 4);
      if (body.length >= length)
        finish(undefined, { status, headers, body: body.subarray(0, length) });
    });
    // A server that closes after answering is fine; one that closes before is an error.
    socket.on('error', (error) => {
      if (!done && (received.length === 0 || options.readAfterWrite)) finish(error);
    });
    socket.on('close', () =>
      finish(new Error(`closed before a whole answer (${received.length} bytes)`)),
    );
    if (options.readAfterWrite) {
      // One 64 KiB piece after the other, as a client streaming a file does; read only then.
      socket.pause();
      let at = 0;
      const next = (error?: Error | null) => {
        if (error) return finish(error);
        if (at >= request.length) return socket.resume();
        const piece = request.subarray(at, at + 65_536);
        at += piece.length;
        socket.write(piece, next);
      };
      next();
    } else {
      socket.write(request);
    }
    const more = options.keepWriting;
    if (more) {
      const pump = () => {
        while (!done && socket.writable && socket.write(more)) {}
        if (!done && socket.writable) socket.once('drain', pump);
      };
      pump();
    }
  });
}
