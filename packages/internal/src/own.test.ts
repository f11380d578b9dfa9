import { describe, expect, it } from 'vitest';
import { ownField, ownValue } from './own.js';

const INHERITED = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'];

describe('ownValue and ownField', () => {
  it('read own keys, and nothing every object inherits', () => {
    const record = JSON.parse('{"age":63,"name":"x","__proto__":7,"list":[1]}') as object;
    for (const read of [ownValue, ownField]) {
      expect(read(record, 'age')).toBe(63);
      expect(read(record, 'name')).toBe('x');
      expect(read(record, '__proto__')).toBe(7);
      expect(read(record, 'list')).toEqual([1]);
      expect(read(record, 'missing')).toBeUndefined();
      for (const key of INHERITED.slice(0, 2)) expect(read({}, key), key).toBeUndefined();
      for (const key of INHERITED) expect(read({ a: 1 }, key), key).toBeUndefined();
    }
    expect(ownField({ ca: null }, 'ca')).toBeNull();
  });
});
