import { describe, expect, it } from 'vitest';
import { createManualClock } from './manual-clock.js';

describe('createManualClock', () => {
  it('moves only when told, firing due timers in time order', async () => {
    const clock = createManualClock(1000);
    const fired: string[] = [];
    clock.setTimer(() => fired.push('b'), 20);
    clock.setTimer(() => fired.push('a'), 10);
    const cancel = clock.setTimer(() => fired.push('never'), 15);
    cancel();
    clock.advance(5);
    expect([clock.now(), fired]).toEqual([1005, []]);
    await clock.sleep(20);
    expect([clock.now(), fired, clock.sleeps]).toEqual([1025, ['a', 'b'], [20]]);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('fires a timer at its own time, so a callback sees the time it was due', () => {
    const clock = createManualClock(0);
    const seen: number[] = [];
    clock.setTimer(() => seen.push(clock.now()), 30);
    clock.advance(100);
    expect(seen).toEqual([30]);
    expect(clock.now()).toBe(100);
  });
});
