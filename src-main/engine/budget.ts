import { EngineError } from './errors';

/** One run's memory budget (LAGRANGE_RUN_BUDGET_MB overrides; default 4 GiB of the 24 here). */
export function runBudgetBytes(): number {
  const set = Number(process.env.LAGRANGE_RUN_BUDGET_MB);
  return (Number.isFinite(set) && set > 0 ? set : 4096) * 2 ** 20;
}

export const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(1)} GiB`;

/** Refuse work whose estimate passes the budget, before it allocates (issue 32.3, 32.5). */
export function checkBudget(bytes: number, what: string, budget = runBudgetBytes()): void {
  if (bytes > budget)
    throw new EngineError(
      'too-large',
      `This run would need about ${gib(bytes)} for ${what}; the limit is ${gib(budget)} (LAGRANGE_RUN_BUDGET_MB): lower sampling.count or the model's size`,
    );
}
