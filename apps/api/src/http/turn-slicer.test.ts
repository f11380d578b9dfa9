import { describe, expect, it } from 'vitest';
import { createTurnSlicer } from './turn-slicer.js';

/** A slicer over a manual clock and manual turns; each task advances the clock by its cost. */
function manual(sliceMs = 2) {
  const ran: string[] = [];
  const turns: (() => void)[] = [];
  let clock = 0;
  const slicer = createTurnSlicer({
    sliceMs,
    hurryMs: 5,
    maxWaiting: 100_000,
    now: () => clock,
    schedule: (next) => turns.push(next),
  });
  const run = slicer.run;
  const task = (name: string, costMs: number) => () => {
    ran.push(name);
    clock += costMs;
  };
  const nextTurn = () => turns.shift()!();
  /** What has run now, then after each following turn. */
  const expectTurns = (...snapshots: string[][]) =>
    snapshots.forEach((snapshot, i) => {
      if (i > 0) nextTurn();
      expect(ran).toEqual(snapshot);
    });
  const advance = (ms: number) => {
    clock += ms;
  };
  return { run, hurry: slicer.hurry, ran, task, nextTurn, expectTurns, advance };
}

describe('createTurnSlicer', () => {
  it('runs work at once while the turn lasts less than its slice', () => {
    const s = manual(2);
    s.run(s.task('a', 0.5));
    s.run(s.task('b', 0.5));
    s.run(s.task('c', 0.5));
    expect(s.ran).toEqual(['a', 'b', 'c']);
  });

  it('past the slice, work waits for the next turns, a slice per turn, in order', () => {
    const s = manual(2);
    for (const name of ['a', 'b', 'c', 'd', 'e', 'f']) s.run(s.task(name, 0.8));
    // 0.8 + 0.8 + 0.8 = 2.4 ≥ 2: the fourth waits.
    s.expectTurns(['a', 'b', 'c'], ['a', 'b', 'c', 'd', 'e', 'f']);
  });

  it('runs at least one waiting task per turn, however long it takes', () => {
    const s = manual(2);
    s.run(s.task('a', 5));
    s.run(s.task('b', 5));
    s.run(s.task('c', 5));
    s.expectTurns(['a'], ['a', 'b'], ['a', 'b', 'c']);
  });

  it('work that arrives while others wait goes behind them, though the slice has room', () => {
    const s = manual(2);
    s.run(s.task('a', 3));
    // b submits x while it runs: c was waiting before x, so c runs first.
    s.run(() => {
      s.ran.push('b');
      s.run(s.task('x', 0.1));
    });
    s.run(s.task('c', 0.1));
    s.expectTurns(['a'], ['a', 'b', 'c', 'x']);
  });

  it('the slice a turn spent on waiting work is spent: what comes next in that turn waits', () => {
    const s = manual(2);
    s.run(s.task('a', 3));
    s.run(s.task('b', 3));
    s.nextTurn(); // b runs and uses up this turn's slice
    s.run(s.task('c', 0.1));
    s.expectTurns(['a', 'b'], ['a', 'b', 'c']);
  });

  it('a new turn starts a new slice', () => {
    const s = manual(2);
    s.run(s.task('a', 1.5));
    s.nextTurn();
    s.run(s.task('b', 1.5));
    s.run(s.task('c', 0.1));
    expect(s.ran).toEqual(['a', 'b', 'c']);
  });

  it('after hurry, for hurryMs slices are 0.25 ms (a burst of connections gets accepted between them)', () => {
    const s = manual(2);
    s.hurry();
    // 0.1 ms tasks: three fit a 0.25 ms slice (0, 0.1, 0.2), the fourth waits.
    for (const name of ['a', 'b', 'c', 'd']) s.run(s.task(name, 0.1));
    s.expectTurns(['a', 'b', 'c'], ['a', 'b', 'c', 'd']);
    // d used 0.1 ms of its turn's slice: e still fits, f (0.3 ms later) waits.
    s.run(s.task('e', 0.3));
    s.run(s.task('f', 0.3));
    s.run(s.task('g', 0.3));
    s.expectTurns(
      ['a', 'b', 'c', 'd', 'e'],
      ['a', 'b', 'c', 'd', 'e', 'f'],
      ['a', 'b', 'c', 'd', 'e', 'f', 'g'],
    );
    // Past hurryMs (5), slices are 2 ms again.
    s.advance(5);
    s.nextTurn();
    s.run(s.task('h', 0.3));
    s.run(s.task('i', 0.3));
    expect(s.ran).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i']);
  });

  it('never lets more than maxWaiting tasks wait: past it, new work runs at once', () => {
    const ran: number[] = [];
    const turns: (() => void)[] = [];
    let clock = 0;
    const slicer = createTurnSlicer({
      sliceMs: 2,
      maxWaiting: 4,
      now: () => clock,
      schedule: (next) => turns.push(next),
    });
    const task = (n: number) => () => {
      ran.push(n);
      clock += 1;
    };
    for (let n = 0; n < 9; n++) slicer.run(task(n));
    // 0 and 1 fill the slice; 2..5 wait (4); 6, 7, 8 find the wait full and run at once.
    expect(ran).toEqual([0, 1, 6, 7, 8]);
    turns.shift()!();
    turns.shift()!();
    expect(ran).toEqual([0, 1, 6, 7, 8, 2, 3, 4, 5]);
  });

  it('keeps the order of thousands of waiting tasks (the queue is compacted as it drains)', () => {
    const s = manual(2);
    const names = Array.from({ length: 5000 }, (_, i) => `t${i}`);
    s.run(s.task('first', 3));
    for (const name of names) s.run(s.task(name, 0.001));
    for (let turn = 0; turn < 10 && s.ran.length < 5001; turn++) s.nextTurn();
    expect(s.ran).toEqual(['first', ...names]);
  });
});
