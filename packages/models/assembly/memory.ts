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
// Memory at or past `touched` has never been handed out, so it is still zero.
let touched: usize = 0;
let exhausted = false;

/** Forgets every allocation (the start of a fit). */
export function reset(): void {
  top = __heap_base;
  touched = __heap_base;
  exhausted = false;
}

/** OUT_OF_MEMORY once an allocation has failed, else OK: what an export that allocates answers. */
export function status(): i32 {
  return exhausted ? OUT_OF_MEMORY : OK;
}

/** Where the next allocation starts: {@link release} it to take back everything after. */
export function mark(): usize {
  return top;
}

/** Takes back every allocation made since `at` (a {@link mark}). */
export function release(at: usize): void {
  top = at;
}

/**
 * `bytes` zero bytes, 16-aligned. When they would pass 4 GiB or the memory cannot grow: 0, and
 * {@link status} answers OUT_OF_MEMORY from then on.
 */
export function alloc(bytes: u64): usize {
  const at = (top + 15) & ~(<usize>15);
  const end = <u64>at + bytes;
  const have = (<u64>memory.size()) << 16;
  if (end > 0xffff0000 || (end > have && memory.grow(<i32>((end - have + 0xffff) >> 16)) < 0)) {
    exhausted = true;
    return 0;
  }
  // Zero only what was handed out before (after a release); fresh pages are zero already.
  if (at < touched) memory.fill(at, 0, min(<usize>end, touched) - at);
  top = <usize>end;
  if (top > touched) touched = top;
  return at;
}
