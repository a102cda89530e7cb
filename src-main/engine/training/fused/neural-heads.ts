import { solveInPlace } from '../../dynamics';
import type { NetworkStructure } from '../../models/model';
import type { PhaseSamples } from '../samples';
import { JetNetwork, type Arena, type Channel, type FloatView } from './jet-network';

/**
 * What turns the networks' output channels into q̈, the loss and the output adjoints, point by
 * point in float64: the Euler–Lagrange solve of one family and its transpose.
 */
export interface NetworkHead {
  readonly channels: readonly Channel[];
  readonly inputWidth: number;
  readonly networks: readonly JetNetwork[];
  /** The input channels of `count` points from `start` at float index `at` (rows past: 0). */
  seed(
    f32: FloatView,
    at: number,
    data: Pick<PhaseSamples, 'q' | 'qd'>,
    start: number,
    count: number,
  ): void;
  /** q̈ of `count` points from `start` after a forward pass, into out[i][start + s] (NaN where
   * the mass matrix is singular). */
  accelerations(
    f32: FloatView,
    data: Pick<PhaseSamples, 'q' | 'qd'>,
    start: number,
    count: number,
    out: Float64Array[],
  ): void;
  /** The block's loss, with the adjoints of every output channel written for the reverse pass. */
  lossAndAdjoints(
    f32: FloatView,
    data: PhaseSamples,
    weights: Float64Array | null,
    scale: number,
    start: number,
    count: number,
  ): number;
}

type Plain = Extract<NetworkStructure, { kind: 'plain' }>;
type Structured = Extract<NetworkStructure, { kind: 'structured' }>;

/**
 * Plain LNN, L = MLP(q, q̇):  ∂²L/∂q̇² q̈ = ∂L/∂q − ∂²L/∂q̇∂q q̇.
 * Channels: the value; first order along each q_j, each q̇_i and v = (q̇, 0) (the velocity as a
 * direction in q); second order along (q̇_i, q̇_k), i ≤ k (the Hessian H), and (q̇_i, v), which
 * is (∂²L/∂q̇∂q q̇)_i in one channel instead of d.
 */
/* eslint-disable-next-line max-lines-per-function --
   emits one kernel's straight-line WebAssembly beside the formula each block implements */
export function plainHead(structure: Plain, d: number, block: number, arena: Arena): NetworkHead {
  const qAt = (j: number) => 1 + j;
  const qdAt = (i: number) => 1 + d + i;
  const vAt = 1 + 2 * d;
  const channels: Channel[] = [{ order: 0 }];
  for (let a = 0; a < 2 * d + 1; a++) channels.push({ order: 1 });
  const hessianAt: number[][] = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  for (let i = 0; i < d; i++)
    for (let k = i; k < d; k++) {
      hessianAt[i]![k] = hessianAt[k]![i] = channels.length;
      channels.push({ order: 2, a: qdAt(i), b: qdAt(k) });
    }
  const mixedAt = Array.from({ length: d }, (_, i) => {
    channels.push({ order: 2, a: qdAt(i), b: vAt });
    return channels.length - 1;
  });
  const net = new JetNetwork(structure.layout, structure.activation, channels, block, arena);
  const width = net.inputWidth;
  const C = channels.length;
  const H = new Float64Array(d * d);
  const Hcopy = new Float64Array(d * d);
  const f = new Float64Array(d);
  const acc = new Float64Array(d);
  const adjoint = new Float64Array(d);
  const g = new Float64Array(d);
  /** H and q̈ = H⁻¹ (∂L/∂q − ∂²L/∂q̇∂q q̇) at point s of the block; false if H is singular. */
  const solveAt = (f32: FloatView, s: number): boolean => {
    const out = net.outputAt;
    const w = net.outputWidth;
    const value = (c: number) => f32[out + (c * block + s) * w]!;
    for (let i = 0; i < d; i++) {
      f[i] = value(qAt(i)) - value(mixedAt[i]!);
      for (let k = 0; k < d; k++) H[i * d + k] = value(hessianAt[i]![k]!);
    }
    Hcopy.set(H);
    return solveInPlace(Hcopy, f, acc, d);
  };
  return {
    channels,
    inputWidth: width,
    networks: [net],
    seed(f32, at, data, start, count) {
      f32.fill(0, at, at + C * block * width);
      const row = (c: number, s: number) => at + (c * block + s) * width;
      for (let s = 0; s < count; s++) {
        for (let j = 0; j < d; j++) {
          const qd = data.qd[j]![start + s]!;
          f32[row(0, s) + j] = data.q[j]![start + s]!;
          f32[row(0, s) + d + j] = qd;
          f32[row(qAt(j), s) + j] = 1;
          f32[row(qdAt(j), s) + d + j] = 1;
          f32[row(vAt, s) + j] = qd;
        }
      }
    },
    accelerations(f32, _data, start, count, out) {
      for (let s = 0; s < count; s++) {
        const solved = solveAt(f32, s);
        for (let i = 0; i < d; i++) out[i]![start + s] = solved ? acc[i]! : NaN;
      }
    },
    lossAndAdjoints(f32, data, weights, scale, start, count) {
      const adj = net.outputAdjointAt;
      const w = net.outputWidth;
      f32.fill(0, adj, adj + C * block * w);
      const set = (c: number, s: number, v: number) => (f32[adj + (c * block + s) * w] = v);
      let total = 0;
      for (let s = 0; s < count; s++) {
        if (!solveAt(f32, s)) return NaN;
        total += pointLoss(
          acc,
          data.qdd,
          start + s,
          scale * (weights ? weights[start + s]! : 1),
          adjoint,
        );
        // ḡ = H⁻¹ ā (H symmetric); f̄ = ḡ, H̄ = −ḡ q̈ᵀ summed over both halves of a pair
        solveInPlace(H, adjoint, g, d);
        for (let i = 0; i < d; i++) {
          set(qAt(i), s, g[i]!);
          set(mixedAt[i]!, s, -g[i]!);
          for (let k = i; k < d; k++)
            set(
              hessianAt[i]![k]!,
              s,
              i === k ? -g[i]! * acc[i]! : -(g[i]! * acc[k]! + g[k]! * acc[i]!),
            );
        }
      }
      return total;
    },
  };
}

const lowerIndex = (i: number, j: number) => (i * (i + 1)) / 2 + j;

/**
 * One point's loss w Σ_i (q̈_i − q̈ᵈᵃᵗᵃ_i)², w its weight times the loss's scale, with the adjoint
 * ā_i = 2w (q̈_i − q̈ᵈᵃᵗᵃ_i) written into `adjoint`.
 */
function pointLoss(
  acc: Float64Array,
  qdd: readonly Float64Array[],
  at: number,
  w: number,
  adjoint: Float64Array,
): number {
  let sq = 0;
  for (let i = 0; i < acc.length; i++) {
    const r = acc[i]! - qdd[i]![at]!;
    sq += r * r;
    adjoint[i] = 2 * w * r;
  }
  return w * sq;
}

/**
 * Structured (DeLaN): L = ½ q̇ᵀM(q)q̇ − V(q), M = LLᵀ + εI, diag L through softplus.
 *   M q̈ = f,  f_i = −∂_i V + Σ_jk (½ ∂_i M_jk − ∂_k M_ij) q̇_j q̇_k,
 *   ∂_a M_ij = Σ_{k≤min(i,j)} (∂_a L_ik L_jk + L_ik ∂_a L_jk).
 * Both networks take q with channels: the value and first order along each q_a.
 */
/* eslint-disable-next-line max-lines-per-function --
   emits one kernel's straight-line WebAssembly beside the formula each block implements */
export function structuredHead(
  structure: Structured,
  d: number,
  block: number,
  arena: Arena,
): NetworkHead {
  const channels: Channel[] = [{ order: 0 }];
  for (let a = 0; a < d; a++) channels.push({ order: 1 });
  const mass = new JetNetwork(structure.mass, structure.activation, channels, block, arena);
  const potential = new JetNetwork(
    structure.potential,
    structure.activation,
    channels,
    block,
    arena,
  );
  const width = mass.inputWidth;
  const C = channels.length;
  const E = (d * (d + 1)) / 2;
  const eps = structure.massFloor;
  const raw = new Float64Array(E);
  const dRaw = new Float64Array(d * E);
  const lower = new Float64Array(E);
  const dLower = new Float64Array(d * E);
  const M = new Float64Array(d * d);
  const Mcopy = new Float64Array(d * d);
  const dM = new Float64Array(d * d * d); // [a][i][j]
  const f = new Float64Array(d);
  const acc = new Float64Array(d);
  const adjoint = new Float64Array(d);
  const g = new Float64Array(d);
  const dMBar = new Float64Array(d * d * d);
  const lowerBar = new Float64Array(E);
  const dLowerBar = new Float64Array(d * E);
  /** L, M, ∂M, f and q̈ = M⁻¹f at point s of the block; false if M is singular. */
  const solveAt = (
    f32: FloatView,
    data: Pick<PhaseSamples, 'qd'>,
    start: number,
    s: number,
  ): boolean => {
    const mOut = mass.outputAt;
    const mw = mass.outputWidth;
    const vOut = potential.outputAt;
    const vw = potential.outputWidth;
    const qd = (j: number) => data.qd[j]![start + s]!;
    for (let k = 0; k < E; k++) raw[k] = f32[mOut + s * mw + k]!;
    for (let a = 0; a < d; a++)
      for (let k = 0; k < E; k++) dRaw[a * E + k] = f32[mOut + ((1 + a) * block + s) * mw + k]!;
    for (let i = 0; i < d; i++)
      for (let j = 0; j <= i; j++) {
        const k = lowerIndex(i, j);
        if (i === j) {
          const r = raw[k]!;
          const e = Math.exp(-Math.abs(r));
          const sig = r >= 0 ? 1 / (1 + e) : e / (1 + e);
          lower[k] = Math.max(r, 0) + Math.log1p(e);
          for (let a = 0; a < d; a++) dLower[a * E + k] = sig * dRaw[a * E + k]!;
        } else {
          lower[k] = raw[k]!;
          for (let a = 0; a < d; a++) dLower[a * E + k] = dRaw[a * E + k]!;
        }
      }
    for (let i = 0; i < d; i++)
      for (let j = 0; j < d; j++) {
        let m = i === j ? eps : 0;
        for (let k = 0; k <= Math.min(i, j); k++)
          m += lower[lowerIndex(i, k)]! * lower[lowerIndex(j, k)]!;
        M[i * d + j] = m;
        for (let a = 0; a < d; a++) {
          let dm = 0;
          for (let k = 0; k <= Math.min(i, j); k++)
            dm +=
              dLower[a * E + lowerIndex(i, k)]! * lower[lowerIndex(j, k)]! +
              lower[lowerIndex(i, k)]! * dLower[a * E + lowerIndex(j, k)]!;
          dM[(a * d + i) * d + j] = dm;
        }
      }
    for (let i = 0; i < d; i++) {
      let fi = -f32[vOut + ((1 + i) * block + s) * vw]!;
      for (let j = 0; j < d; j++)
        for (let k = 0; k < d; k++)
          fi += (0.5 * dM[(i * d + j) * d + k]! - dM[(k * d + i) * d + j]!) * qd(j) * qd(k);
      f[i] = fi;
    }
    Mcopy.set(M);
    return solveInPlace(Mcopy, f, acc, d);
  };
  return {
    channels,
    inputWidth: width,
    networks: [mass, potential],
    seed(f32, at, data, start, count) {
      f32.fill(0, at, at + C * block * width);
      for (let s = 0; s < count; s++)
        for (let j = 0; j < d; j++) {
          f32[at + s * width + j] = data.q[j]![start + s]!;
          f32[at + ((1 + j) * block + s) * width + j] = 1;
        }
    },
    accelerations(f32, data, start, count, out) {
      for (let s = 0; s < count; s++) {
        const solved = solveAt(f32, data, start, s);
        for (let i = 0; i < d; i++) out[i]![start + s] = solved ? acc[i]! : NaN;
      }
    },
    lossAndAdjoints(f32, data, weights, scale, start, count) {
      const mAdj = mass.outputAdjointAt;
      const mw = mass.outputWidth;
      const vAdj = potential.outputAdjointAt;
      const vw = potential.outputWidth;
      f32.fill(0, mAdj, mAdj + C * block * mw);
      f32.fill(0, vAdj, vAdj + C * block * vw);
      let total = 0;
      for (let s = 0; s < count; s++) {
        const qd = (j: number) => data.qd[j]![start + s]!;
        if (!solveAt(f32, data, start, s)) return NaN;
        total += pointLoss(
          acc,
          data.qdd,
          start + s,
          scale * (weights ? weights[start + s]! : 1),
          adjoint,
        );
        solveInPlace(M, adjoint, g, d); // ḡ = M⁻¹ ā = f̄ (M symmetric)
        dMBar.fill(0);
        lowerBar.fill(0);
        dLowerBar.fill(0);
        for (let i = 0; i < d; i++) {
          f32[vAdj + ((1 + i) * block + s) * vw] = -g[i]!;
          for (let j = 0; j < d; j++)
            for (let k = 0; k < d; k++) {
              const vv = g[i]! * qd(j) * qd(k);
              dMBar[(i * d + j) * d + k]! += 0.5 * vv;
              dMBar[(k * d + i) * d + j]! -= vv;
            }
        }
        for (let i = 0; i < d; i++)
          for (let j = 0; j < d; j++) {
            const mBar = -g[i]! * acc[j]!; // M̄ = −ḡ q̈ᵀ
            for (let k = 0; k <= Math.min(i, j); k++) {
              const ik = lowerIndex(i, k);
              const jk = lowerIndex(j, k);
              lowerBar[ik]! += mBar * lower[jk]!;
              lowerBar[jk]! += mBar * lower[ik]!;
              for (let a = 0; a < d; a++) {
                const gb = dMBar[(a * d + i) * d + j]!;
                if (gb === 0) continue;
                dLowerBar[a * E + ik]! += gb * lower[jk]!;
                lowerBar[jk]! += gb * dLower[a * E + ik]!;
                lowerBar[ik]! += gb * dLower[a * E + jk]!;
                dLowerBar[a * E + jk]! += gb * lower[ik]!;
              }
            }
          }
        for (let i = 0; i < d; i++)
          for (let j = 0; j <= i; j++) {
            const k = lowerIndex(i, j);
            let rBar = lowerBar[k]!;
            let slope = 1;
            if (i === j) {
              const r = raw[k]!;
              const e = Math.exp(-Math.abs(r));
              slope = r >= 0 ? 1 / (1 + e) : e / (1 + e); // σ(r) = softplus′
              rBar *= slope;
              for (let a = 0; a < d; a++)
                rBar += dLowerBar[a * E + k]! * slope * (1 - slope) * dRaw[a * E + k]!;
            }
            f32[mAdj + s * mw + k] = rBar;
            for (let a = 0; a < d; a++)
              f32[mAdj + ((1 + a) * block + s) * mw + k] = dLowerBar[a * E + k]! * slope;
          }
      }
      return total;
    },
  };
}
