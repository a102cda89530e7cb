import type { RunSummary } from '../dto/runs';

/**
 * The runs list's search: free words match the name, tags, model, optimizer and status; a term
 * `field<op>value` compares a configuration setting (a dotted path such as
 * `optimizer.learningRate`, or its last part, `learningRate`) or a run field (status, name, tag,
 * finalLoss, bestLoss, id, steps). Operators: < <= > >= = != and ~ (contains).
 * E.g. `optimizer.learningRate<0.01 status=completed far`.
 */
export interface RunQuery {
  readonly words: string[];
  readonly comparisons: ReadonlyArray<{ field: string; op: Op; value: string }>;
}
type Op = '<' | '<=' | '>' | '>=' | '=' | '!=' | '~';

const TERM = /^([\w.[\]-]+)(<=|>=|!=|<|>|=|~)(.+)$/;

export function parseRunQuery(text: string): RunQuery {
  const words: string[] = [];
  const comparisons: Array<{ field: string; op: Op; value: string }> = [];
  for (const token of text.trim().split(/\s+/).filter(Boolean)) {
    const m = TERM.exec(token);
    if (m) comparisons.push({ field: m[1]!, op: m[2] as Op, value: m[3]! });
    else words.push(token.toLowerCase());
  }
  return { words, comparisons };
}

/** A run's searchable fields: its summary's and its configuration's (flattened) settings. */
function fieldsOf(run: RunSummary): Record<string, string> {
  return {
    ...run.settings,
    id: String(run.id),
    name: run.name,
    status: run.status,
    tag: run.tags.join(', '),
    tags: run.tags.join(', '),
    model: run.model,
    steps: String(run.step),
    finalLoss: run.finalLoss === null ? '' : String(run.finalLoss),
    bestLoss: run.bestLoss === null ? '' : String(run.bestLoss),
  };
}

/** The value of `field` for a run: an exact key, or the one key ending in `.field`. */
function lookup(fields: Record<string, string>, field: string): string | undefined {
  if (field in fields) return fields[field];
  const keys = Object.keys(fields).filter((k) => k.endsWith(`.${field}`));
  return keys.length ? fields[keys[0]!] : undefined;
}

function compare(actual: string, op: Op, wanted: string): boolean {
  const a = Number(actual);
  const w = Number(wanted);
  const numeric = actual.trim() !== '' && Number.isFinite(a) && Number.isFinite(w);
  switch (op) {
    case '~':
      return actual.toLowerCase().includes(wanted.toLowerCase());
    case '=':
      return numeric ? a === w : actual.toLowerCase() === wanted.toLowerCase();
    case '!=':
      return numeric ? a !== w : actual.toLowerCase() !== wanted.toLowerCase();
    default:
      if (!numeric) return false;
      return op === '<' ? a < w : op === '<=' ? a <= w : op === '>' ? a > w : a >= w;
  }
}

export function matchesRunQuery(run: RunSummary, query: RunQuery): boolean {
  const text = `${run.name} ${run.tags.join(' ')} ${run.model} ${run.optimizer} ${run.status}`;
  if (!query.words.every((w) => text.toLowerCase().includes(w))) return false;
  const fields = fieldsOf(run);
  return query.comparisons.every((c) => {
    // tags are a set: tag=paper holds when any tag is "paper", tag!=paper when none is
    if (c.field === 'tag' || c.field === 'tags')
      return c.op === '!='
        ? !run.tags.some((t) => compare(t, '=', c.value))
        : run.tags.some((t) => compare(t, c.op, c.value));
    const value = lookup(fields, c.field);
    return value !== undefined && compare(value, c.op, c.value);
  });
}

/** Fields of a query that no run has (a typo): named under the search box. */
export function unknownFields(runs: readonly RunSummary[], query: RunQuery): string[] {
  return query.comparisons
    .map((c) => c.field)
    .filter((f) => !runs.some((r) => lookup(fieldsOf(r), f) !== undefined));
}
