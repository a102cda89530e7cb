import { studySchema } from './study-schema';

/** One thing wrong with the study form, where it is (a path like sampling.window.q.0.min). */
export interface FormProblem {
  readonly path: string;
  readonly message: string;
}

/**
 * Everything the server would refuse, found as the user types: the study schema's own checks
 * (the server runs the same), with each problem at its field.
 */
export function formProblems(study: unknown): FormProblem[] {
  const r = studySchema.safeParse(study);
  if (r.success) return [];
  return r.error.issues.flatMap((i) => flatten(i, []));
}

interface Issue {
  readonly code: string;
  readonly message: string;
  readonly path: readonly PropertyKey[];
  readonly minimum?: number | bigint;
  readonly maximum?: number | bigint;
  readonly inclusive?: boolean;
  readonly errors?: readonly (readonly Issue[])[];
}

/** A union's failure is explained by the option that came closest (fewest problems). */
function flatten(issue: Issue, base: readonly PropertyKey[]): FormProblem[] {
  const path = [...base, ...issue.path];
  if (issue.code === 'invalid_union' && issue.errors?.length) {
    const closest = issue.errors.reduce((a, b) => (b.length < a.length ? b : a));
    if (closest.length) return closest.flatMap((i) => flatten(i, path));
  }
  return [{ path: path.map(String).join('.'), message: plainMessage(issue) }];
}

/** The first problem at or under `prefix` (a field, or a group of fields), or ''. */
export function problemAt(problems: readonly FormProblem[], prefix: string): string {
  const p = problems.find((x) => x.path === prefix || x.path.startsWith(`${prefix}.`));
  return p ? p.message : '';
}

/** Where a problem is, in the form's words: "q0 window", "points", "learning rate". */
export function fieldLabel(path: string): string {
  const window = /^sampling\.window\.(q|qd)\.(\d+)/.exec(path);
  if (window) return `${window[1] === 'q' ? 'q' : 'q̇'}${window[2]} window`;
  const labels: Record<string, string> = {
    'sampling.count': 'points',
    'sampling.window.domain': 'sampling window',
    'sampling.seed': 'seed',
    'optimizer.learningRate': 'learning rate',
    'stopping.maxSteps': 'steps',
    'system.lagrangian': 'Lagrangian',
    'model.order': 'order',
    'model.hidden': 'hidden sizes',
  };
  const key = Object.keys(labels).find((k) => path === k || path.startsWith(`${k}.`));
  return key ? labels[key]! : path || 'study';
}

/** "points: must be at least 1" — the reason a disabled Start gives. */
export function describeProblem(p: FormProblem): string {
  return `${fieldLabel(p.path)}: ${p.message}`;
}

function plainMessage(issue: Issue): string {
  if (issue.code === 'too_small' && typeof issue.minimum !== 'undefined')
    return `must be ${issue.inclusive === false ? 'above' : 'at least'} ${String(issue.minimum)}`;
  if (issue.code === 'too_big' && typeof issue.maximum !== 'undefined')
    return `must be at most ${String(issue.maximum)}`;
  if (issue.code === 'invalid_type') return 'is missing or not a number';
  return issue.message;
}

/** A runs:start refusal's fields as form problems (request paths start at `study.`). */
export function refusedStudyFields(
  fields: ReadonlyArray<{ readonly path: string; readonly message: string }> | undefined,
): FormProblem[] {
  return (fields ?? [])
    .filter((f) => f.path.startsWith('study.'))
    .map((f) => ({ path: f.path.slice('study.'.length), message: f.message }));
}
