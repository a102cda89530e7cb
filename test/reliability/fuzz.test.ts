import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { mersenne } from 'pure-rand/generator/mersenne';
import { createHandlers, dispatch } from '../../src-main/api/handlers';
import { ProjectSession } from '../../src-main/api/session';
import { EngineError } from '../../src-main/engine/errors';
import { generateDataset } from '../../src-main/engine/dataset';
import { parseStudy, StudyFormatError, type StudySpec } from '../../src-shared/study/study-schema';
import { coulombPair, reportOriginWindow } from '../../src-main/engine/systems/presets';

declare global {
  var __lagrangeFuzzCanary: unknown;
}

const rng = mersenne(20261128);
const pick = <T>(xs: readonly T[]): T => xs[uniformInt(rng, 0, xs.length - 1)]!;
const int = (a: number, b: number) => uniformInt(rng, a, b);

const HOSTILE = [
  'constructor',
  '__proto__',
  'prototype',
  'import("fs")',
  'require("child_process")',
  'process.exit()',
  'process.exit(1)',
  'globalThis.__lagrangeFuzzCanary = 1',
  '`${q0}`',
  '${qd0}',
  'eval("1")',
  'Function("return 1")()',
  'this',
  'new Date()',
  'q0.constructor',
  'q0["constructor"]',
  'a=>a',
  '(() => 1)()',
  '"\\u0000"',
  '\u202e',
  'ｑ0',
  'q\u200b0',
  '💥',
  '∂',
  'NaN',
  'Infinity',
  '1e308*1e308',
  '1e-320',
  '0/0',
  'sqrt(-1)',
  'log(0)',
  '[1,2]',
  '{a: 1}',
  'x ? y : z',
  'q0 == q1',
  'q0!',
  'q0 % 2',
  "q0'",
  'q0:q1',
  'f(x) = 1',
  'a = 1',
  'sin',
  'sin()',
  'sin(q0, q1)',
  'cos(',
  ')',
  '((((',
  '^',
  '**',
  'qd0^^2',
  'abs(abs(abs(',
  'e',
  'pi',
];
const ATOMS = [
  'q0',
  'q1',
  'qd0',
  'qd1',
  'k',
  'alpha',
  'm',
  '0.5',
  '1e300',
  '1e-300',
  '2',
  '-1',
  'pi',
];
const OPS = ['+', '-', '*', '/', '^'];
const FNS = ['sin', 'cos', 'exp', 'log', 'sqrt', 'abs', 'tanh', 'cosh'];

function expression(depth = 0): string {
  const r = int(0, 9);
  if (depth > 4 || r < 3) return pick(ATOMS);
  if (r < 6) return `${expression(depth + 1)} ${pick(OPS)} ${expression(depth + 1)}`;
  if (r < 8) return `${pick(FNS)}(${expression(depth + 1)})`;
  return `(${expression(depth + 1)})`;
}

function hostileExpression(i: number): string {
  switch (i % 6) {
    case 0:
      return pick(HOSTILE);
    case 1:
      return `0.5*qd0^2 + ${pick(HOSTILE)}`;
    case 2:
      return Array.from({ length: int(1, 40) }, () =>
        String.fromCodePoint(int(0, 1) ? int(32, 126) : int(0x80, 0x2fff)),
      ).join('');
    case 3:
      return '('.repeat(int(50, 400)) + 'qd0' + ')'.repeat(int(0, 400));
    case 4:
      return `0.5*(qd0^2 + qd1^2) - ${expression()}`;
    default:
      return `${expression()} ${pick(['', pick(OPS), pick(HOSTILE)])} ${expression()}`;
  }
}

function mutateStudy(base: Record<string, unknown>, i: number): unknown {
  const study = JSON.parse(JSON.stringify(base)) as Record<string, unknown>;
  const paths: Array<[string[], unknown]> = [
    [['sampling', 'count'], pick([-1, 0, 1.5, 1e12, 'ten', null, NaN, 3])],
    [['sampling', 'seed'], pick([1.5, '1', null, -3, 2 ** 60])],
    [['optimizer', 'learningRate'], pick([0, -1, 1e9, 'fast', null, Infinity, 1e-3])],
    [['optimizer', 'algorithm'], pick(['lbfgs', '__proto__', '', 'adam', 'constructor'])],
    [['stopping', 'maxSteps'], pick([0, -5, 1e12, 2.5, 50])],
    [['model', 'family'], pick(['neural', 'exact-form', 'polynomial', 'eval', '__proto__'])],
    [['model', 'learnable'], pick([[], ['beta'], ['k'], 'k', [1, 2]])],
    [
      ['sampling', 'window', 'q'],
      pick([
        [],
        [
          { min: 1, max: -1 },
          { min: 0, max: 0 },
        ],
        [{ centre: 0, width: -1 }],
        'everywhere',
        [
          { min: -1, max: 1 },
          { min: -1, max: 1 },
        ],
      ]),
    ],
    [['system', 'lagrangian'], hostileExpression(i)],
    [['__proto__'], { polluted: true }],
    [['constructor'], { prototype: { polluted: true } }],
    [
      ['landscape'],
      pick([
        {
          x: { parameter: 'k', min: 0, max: 8, count: 1 },
          y: { parameter: 'alpha', min: 0, max: 2, count: 2 },
        },
        'yes',
        null,
      ]),
    ],
  ];
  const n = int(1, 3);
  for (let j = 0; j < n; j++) {
    const [path, value] = pick(paths);
    let o = study;
    for (const key of path.slice(0, -1)) o = (o[key] ?? (o[key] = {})) as Record<string, unknown>;
    Object.defineProperty(o, path[path.length - 1]!, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return study;
}

let dir: string;
let session: ProjectSession;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lagrange-fuzz-'));
  session = new ProjectSession({ checkpointIntervalMs: 200 });
  await session.open(join(dir, 'fuzz.lsproj'), true);
});
afterAll(async () => {
  await session.close();
  rmSync(dir, { recursive: true, force: true });
});

const baseStudy: StudySpec = {
  name: 'fuzz',
  system: coulombPair,
  sampling: {
    window: reportOriginWindow(),
    count: 200,
    seed: 1,
  },
  model: { family: 'exact-form', learnable: ['k', 'alpha'] },
  optimizer: { algorithm: 'adam', learningRate: 0.01 },
  stopping: { maxSteps: 20 },
};

describe('fuzzing hostile input', () => {
  it('1200 malformed or hostile expressions: each gets a clear error or a valid result, none runs code', async () => {
    const handlers = createHandlers(session, 'http');
    globalThis.__lagrangeFuzzCanary = undefined;
    const codes = new Map<string, number>();
    for (let i = 0; i < 1200; i++) {
      const lagrangian = hostileExpression(i);
      const system = { ...coulombPair, lagrangian };
      const envelope = await dispatch(handlers, 'system:check', { system });
      if (!envelope.ok) {
        // refused in words: a named code (a too-long text by the request schema), never a bug
        expect(envelope.error.code, lagrangian).not.toBe('internal');
        expect(envelope.error.message.length, lagrangian).toBeGreaterThan(10);
        codes.set(envelope.error.code, (codes.get(envelope.error.code) ?? 0) + 1);
        continue;
      }
      // It parsed: generating data either works or fails with a named engine error.
      try {
        const d = generateDataset({ system, sampling: { ...baseStudy.sampling, count: 30 } });
        expect(d.qdd.every((c) => c.every(Number.isFinite))).toBe(true);
        codes.set('ok', (codes.get('ok') ?? 0) + 1);
      } catch (err) {
        expect(err, lagrangian).toBeInstanceOf(EngineError);
        codes.set((err as EngineError).code, (codes.get((err as EngineError).code) ?? 0) + 1);
      }
    }
    expect(globalThis.__lagrangeFuzzCanary).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // A spread of outcomes, not one error for everything:
    for (const code of [
      'syntax',
      'unknown-symbol',
      'unknown-function',
      'unsupported',
      'too-deep',
      'ok',
    ])
      expect(codes.get(code) ?? 0, code).toBeGreaterThan(0);
  });

  it('1000 mutated study configurations: refused with the field named, or run; the project keeps every earlier run intact', async () => {
    const queue = session.queue!;
    const store = session.store!;
    const keep = queue.start(baseStudy, 'reference run');
    expect(await queue.waitFor(keep)).toBe('completed');
    const reference = JSON.stringify(store.getRun(keep)) + JSON.stringify(store.metrics(keep));
    let refused = 0;
    let ran = 0;
    for (let i = 0; i < 1000; i++) {
      const candidate = mutateStudy(baseStudy, i);
      let study;
      try {
        study = parseStudy(candidate);
      } catch (err) {
        expect(err).toBeInstanceOf(StudyFormatError);
        expect((err as StudyFormatError).problems.length).toBeGreaterThan(0);
        refused++;
        continue;
      }
      // Valid-looking studies go through a worker; every tenth, to keep the run short.
      if (ran >= 40 || i % 10 !== 0) continue;
      const id = queue.start(study);
      const status = await queue.waitFor(id);
      expect(['completed', 'converged', 'diverged', 'failed']).toContain(status);
      if (status === 'failed') expect(store.getRun(id)!.message.length).toBeGreaterThan(5);
      ran++;
    }
    expect(refused).toBeGreaterThan(500);
    expect(ran).toBeGreaterThan(5);
    expect(JSON.stringify(store.getRun(keep)) + JSON.stringify(store.metrics(keep))).toBe(
      reference,
    );
    expect(store.integrityCheck()).toBe('ok');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(readFileSync(join(dir, 'fuzz.lsproj')).subarray(0, 15).toString()).toBe(
      'SQLite format 3',
    );
  });
});
