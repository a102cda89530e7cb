// A compute worker's memory budget, checked before a large answer is built: V8 ends a worker
// that runs out of heap cleanly only when the heap grows step by step; one large allocation past
// the limit (a 40 MB array at once) aborts the whole process. So the size is checked first.
import { getHeapStatistics } from 'node:v8';
import { resourceLimits } from 'node:worker_threads';
import { AppError } from '../../src-shared/errors';

/** Refuse with `too-large` when `bytes` more would not fit in this thread's heap budget. */
export function ensureHeapRoom(bytes: number, what: string): void {
  const { used_heap_size, heap_size_limit } = getHeapStatistics();
  const budgetMb = resourceLimits.maxOldGenerationSizeMb ?? heap_size_limit / 2 ** 20;
  // Leave a quarter of the budget for everything else the request holds.
  if (used_heap_size + bytes <= 0.75 * heap_size_limit) return;
  throw new AppError(
    'too-large',
    `${what} needed more than its memory budget (${Math.round(budgetMb)} MiB): about ${Math.ceil(
      bytes / 2 ** 20,
    )} MiB more were asked for; use fewer points or a coarser grid`,
  );
}
