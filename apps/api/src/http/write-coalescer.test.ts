import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineBundle } from '../model-bundle.js';
import { loadBundleFromDir } from '../model-store.js';
import { clevelandRows, patientOf, writeModelDir } from '../test-support/fixtures.js';
import { type LiveApp, startLiveApp } from '../test-support/live-app.js';
import { createWriteCoalescer } from './write-coalescer.js';

/** A coalescer over a manual clock and a manual end of turn, recording what it writes. */
function manual(maxWaitMs = 0.25) {
  const written: string[] = [];
  const turnEnds: (() => void)[] = [];
  let clock = 0;
  const send = createWriteCoalescer((item: string) => written.push(item), {
    maxWaitMs,
    now: () => clock,
    schedule: (flush) => turnEnds.push(flush),
  });
  return {
    send,
    written,
    advance: (ms: number) => {
      clock += ms;
    },
    endTurn: () => turnEnds.shift()!(),
    pendingTurns: () => turnEnds.length,
  };
}

describe('createWriteCoalescer', () => {
  it('writes the first answer of a turn at once and holds the rest until the turn ends, in order', () => {
    const q = manual();
    q.send('a');
    expect(q.written).toEqual(['a']);
    q.send('b');
    q.send('c');
    expect(q.written).toEqual(['a']);
    expect(q.pendingTurns()).toBe(1);
    q.endTurn();
    expect(q.written).toEqual(['a', 'b', 'c']);
    // A new turn: its first answer leaves at once again.
    q.send('d');
    expect(q.written).toEqual(['a', 'b', 'c', 'd']);
  });

  it('writes what it holds as soon as a new answer finds the oldest held for maxWaitMs', () => {
    const q = manual(0.25);
    q.send('first');
    q.send('b');
    q.advance(0.2);
    q.send('c');
    expect(q.written).toEqual(['first']);
    q.advance(0.05);
    q.send('d');
    expect(q.written).toEqual(['first', 'b', 'c', 'd']);
    // The next one is held again, from its own time.
    q.advance(1);
    q.send('e');
    expect(q.written).toHaveLength(4);
    q.endTurn();
    expect(q.written).toEqual(['first', 'b', 'c', 'd', 'e']);
  });

  it('an end of turn with nothing held writes nothing', () => {
    const q = manual();
    q.send('a');
    q.endTurn();
    expect(q.written).toEqual(['a']);
  });
});

describe('answers written together, on a real socket', () => {
  let fixture: Awaited<ReturnType<typeof writeModelDir>>;
  let bundle: PipelineBundle;
  let live: LiveApp;

  beforeAll(async () => {
    fixture = await writeModelDir('random-forest');
    bundle = await loadBundleFromDir(fixture.dir);
    live = await startLiveApp({ holder: { bundle } });
  });
  afterAll(async () => {
    await live.close();
    await fixture.cleanup();
  });

  /**
   * Sends one POST /predict per patient (x-request-id `<prefix><i>`) in a single write on one
   * connection, and reads until the last one's answer has arrived whole.
   */
  const pipelined = (patients: Record<string, number | null>[], prefix: string) =>
    new Promise<string>((resolve, reject) => {
      const requests = patients.map((patient, i) => {
        const body = JSON.stringify(patient);
        return `POST /predict HTTP/1.1\r\nhost: x\r\nx-request-id: ${prefix}${i}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
      });
      const last = `x-request-id: ${prefix}${patients.length - 1}\r\n`;
      const socket = connect(live.port, '127.0.0.1');
      let received = '';
      socket.on('data', (chunk) => {
        received += chunk.toString('latin1');
        // Done once the last answer's body is whole (by its content-length).
        const at = received.indexOf(last);
        const bodyAt = at < 0 ? -1 : received.indexOf('\r\n\r\n', at);
        if (bodyAt < 0) return;
        const head = received.slice(received.lastIndexOf('HTTP/1.1 ', at), bodyAt);
        const length = Number(/content-length: (\d+)/i.exec(head)?.[1]);
        if (received.length >= bodyAt + 4 + length) {
          socket.destroy();
          resolve(received);
        }
      });
      socket.on('error', reject);
      // Every request in one write: the server parses many of them in one turn.
      socket.write(requests.join(''));
    });

  it('answers 20 pipelined requests on one connection (one turn) in order, each with its own score', async () => {
    const patients = (await clevelandRows()).slice(0, 20).map(patientOf);
    const answers = (await pipelined(patients, 'p')).split('HTTP/1.1 ').slice(1);
    expect(answers).toHaveLength(20);
    answers.forEach((answer, i) => {
      expect(answer.startsWith('200')).toBe(true);
      expect(answer).toContain(`x-request-id: p${i}\r\n`);
      const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4));
      expect(body.probability).toBe(bundle.pipeline.predictProbaRow(patients[i]!));
    });
  });

  it('answers 600 pipelined requests on one connection, every one (more than the slicer lets wait)', async () => {
    const all = (await clevelandRows()).map(patientOf);
    const count = 600;
    const text = await pipelined(
      Array.from({ length: count }, (_, i) => all[i % all.length]!),
      'q',
    );
    const ids = [...text.matchAll(/x-request-id: (q\d+)\r\n/g)].map((match) => match[1]);
    expect(ids).toEqual(Array.from({ length: count }, (_, i) => `q${i}`));
    expect(text.split('HTTP/1.1 200 ').length - 1).toBe(count);
  });

  it('pairs 200 concurrent requests on separate connections with their own answers', async () => {
    const patients = (await clevelandRows()).slice(0, 200).map(patientOf);
    const answers = await Promise.all(
      patients.map((patient, i) =>
        fetch(`${live.url}/predict`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-request-id': `c${i}` },
          body: JSON.stringify(patient),
        }).then(async (response) => ({
          id: response.headers.get('x-request-id'),
          body: (await response.json()) as { probability: number },
        })),
      ),
    );
    answers.forEach((answer, i) => {
      expect(answer.id).toBe(`c${i}`);
      expect(answer.body.probability).toBe(bundle.pipeline.predictProbaRow(patients[i]!));
    });
  });
});
