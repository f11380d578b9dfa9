/** Jacobi sweeps at most: it converges in ~6–10; the cap only bounds what cannot converge. */
const MAX_SWEEPS = 64;
const EPSILON = Number.EPSILON;

/**
 * Solves H s = g in the least-squares sense (the minimum-norm solution, as a pseudo-inverse does)
 * for a symmetric H given by its lower triangle (row-major d × d): the Newton solver's way out
 * when H is not numerically positive definite and its Cholesky factorisation fails.
 *
 * H = V Λ Vᵀ by cyclic Jacobi rotations, then s = Σ vᵢ (vᵢ · g) / λᵢ over the eigenvalues with
 * |λᵢ| > d · ε/2 · max |λ| (ml-matrix's SVD threshold). Jacobi is accurate for symmetric
 * matrices, and its sweeps are capped, so it ends on any input. The SVD of ml-matrix, used here
 * before, looped forever on Hessians holding entries near the underflow limit (1e-300, from
 * `C: 1e300`), which hung `fit`.
 */
export function solveLeastSquares(lower: Float64Array, g: Float64Array, d: number): Float64Array {
  const a = new Float64Array(d * d);
  const v = new Float64Array(d * d);
  for (let j = 0; j < d; j++) {
    v[j * d + j] = 1;
    for (let k = 0; k <= j; k++) {
      a[j * d + k] = lower[j * d + k]!;
      a[k * d + j] = lower[j * d + k]!;
    }
  }
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let rotated = false;
    for (let p = 0; p < d - 1; p++) {
      for (let q = p + 1; q < d; q++) {
        const apq = a[p * d + q]!;
        const app = a[p * d + p]!;
        const aqq = a[q * d + q]!;
        // Negligible against its diagonal (or zero): leave it, so that the sweeps end.
        if (!(Math.abs(apq) > (EPSILON / 2) * Math.sqrt(Math.abs(app * aqq)))) continue;
        rotated = true;
        rotate(a, v, d, p, q, apq, app, aqq);
      }
    }
    if (!rotated) break;
  }
  let largest = 0;
  for (let i = 0; i < d; i++) largest = Math.max(largest, Math.abs(a[i * d + i]!));
  const threshold = (EPSILON / 2) * d * largest;
  const s = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    const lambda = a[i * d + i]!;
    if (!(Math.abs(lambda) > threshold)) continue;
    let projection = 0;
    for (let k = 0; k < d; k++) projection += v[k * d + i]! * g[k]!;
    const weight = projection / lambda;
    for (let k = 0; k < d; k++) s[k]! += weight * v[k * d + i]!;
  }
  return s;
}

/** One Jacobi rotation in the (p, q) plane, zeroing a[p][q]; v collects the rotations. */
function rotate(
  a: Float64Array,
  v: Float64Array,
  d: number,
  p: number,
  q: number,
  apq: number,
  app: number,
  aqq: number,
): void {
  const theta = (aqq - app) / (2 * apq);
  // tan of the rotation angle, the smaller root; 1 / (2θ) where θ² would overflow.
  const t =
    Math.abs(theta) > 1e150
      ? 1 / (2 * theta)
      : (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
  const c = 1 / Math.sqrt(t * t + 1);
  const s = t * c;
  for (let k = 0; k < d; k++) {
    const akp = a[k * d + p]!;
    const akq = a[k * d + q]!;
    a[k * d + p] = c * akp - s * akq;
    a[k * d + q] = s * akp + c * akq;
  }
  for (let k = 0; k < d; k++) {
    const apk = a[p * d + k]!;
    const aqk = a[q * d + k]!;
    a[p * d + k] = c * apk - s * aqk;
    a[q * d + k] = s * apk + c * aqk;
  }
  for (let k = 0; k < d; k++) {
    const vkp = v[k * d + p]!;
    const vkq = v[k * d + q]!;
    v[k * d + p] = c * vkp - s * vkq;
    v[k * d + q] = s * vkp + c * vkq;
  }
}
