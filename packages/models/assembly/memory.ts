// Memory for the core: every pointer is a byte offset into the instance's own memory, read and
// written here by element index, and handed out by one bump allocator. An instance serves one fit
// and is then dropped with its memory, so nothing is ever freed.

export const OK: i32 = 0;
export const OUT_OF_MEMORY: i32 = -1;
export const TOO_MANY_PATTERNS: i32 = 1;

export function lf(base: usize, i: i32): f64 {
  return load<f64>(base + ((<usize>i) << 3));
}

export function sf(base: usize, i: i32, value: f64): void {
  store<f64>(base + ((<usize>i) << 3), value);
}

export function af(base: usize, i: i32, value: f64): void {
  const at = base + ((<usize>i) << 3);
  store<f64>(at, load<f64>(at) + value);
}

export function li(base: usize, i: i32): i32 {
  return load<i32>(base + ((<usize>i) << 2));
}

export function si(base: usize, i: i32, value: i32): void {
  store<i32>(base + ((<usize>i) << 2), value);
}

let top: usize = 0;
let exhausted = false;

/** Forgets every allocation (the start of a fit). */
export function reset(): void {
  top = __heap_base;
  exhausted = false;
}

/** OUT_OF_MEMORY once an allocation has failed, else OK: what an export that allocates answers. */
export function status(): i32 {
  return exhausted ? OUT_OF_MEMORY : OK;
}

/**
 * `bytes` bytes, 16-aligned, zero (fresh pages: nothing is reused). When they would pass 4 GiB or
 * the memory cannot grow: 0, and {@link status} answers OUT_OF_MEMORY from then on.
 */
export function alloc(bytes: u64): usize {
  const at = (top + 15) & ~(<usize>15);
  const end = <u64>at + bytes;
  const have = (<u64>memory.size()) << 16;
  if (end > 0xffff0000 || (end > have && memory.grow(<i32>((end - have + 0xffff) >> 16)) < 0)) {
    exhausted = true;
    return 0;
  }
  top = <usize>end;
  return at;
}
