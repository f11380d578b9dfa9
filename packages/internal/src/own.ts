/**
 * `object[key]` when `key` is the object's own property, else `undefined`: never what every object
 * inherits (`constructor`, `toString`, `__proto__`, …). For keys that come from outside — a file, a
 * request, a header, a column name — into plain objects.
 *
 * @example
 * ownValue({ FP64: false }, 'toString'); // undefined (`{ FP64: false }.toString` is a function)
 */
export function ownValue(object: object, key: string): unknown {
  return Object.hasOwn(object, key) ? (object as Record<string, unknown>)[key] : undefined;
}

/**
 * A record's field as {@link ownValue} reads it, for the hot paths that read numbers: a number,
 * `null` or `undefined` is returned as read, anything else only when it is the record's own (so a
 * column named `constructor` is absent from `{}`, not `Object`).
 *
 * @example
 * ownField({ age: 63 }, 'age'); // 63
 * ownField({}, 'constructor'); // undefined
 */
export function ownField(record: object, key: string): unknown {
  const value = (record as Record<string, unknown>)[key];
  if (value === undefined || value === null || typeof value === 'number') return value;
  return Object.hasOwn(record, key) ? value : undefined;
}
