import { EventEmitter } from 'node:events';
import type { TaskProgress } from '../../src-shared/api/contract';

/**
 * The long requests running now, by the ticket their client gave them: Cancel finds the request
 * here and aborts it; its progress goes out as `task:progress` events.
 */
export class TaskTickets extends EventEmitter<{ progress: [TaskProgress] }> {
  private readonly running = new Map<string, AbortController>();

  /**
   * Run `body` under a ticket (none: plain, not cancellable). The signal aborts on `cancel`;
   * `report` sends the fraction done, at most one event per 100 ms and percent.
   */
  async run<T>(
    ticket: string | undefined,
    what: string,
    body: (signal: AbortSignal, report: (fraction: number) => void) => Promise<T>,
  ): Promise<T> {
    const controller = new AbortController();
    if (!ticket) return body(controller.signal, () => {});
    // A ticket used again (a newer request of the same kind) supersedes the older request.
    this.running.get(ticket)?.abort();
    this.running.set(ticket, controller);
    let last = { at: 0, percent: -1 };
    const report = (fraction: number) => {
      const now = performance.now();
      const percent = Math.floor(100 * fraction);
      if (percent === last.percent || (now - last.at < 100 && fraction < 1)) return;
      last = { at: now, percent };
      this.emit('progress', { ticket, what, fraction });
    };
    try {
      return await body(controller.signal, report);
    } finally {
      if (this.running.get(ticket) === controller) this.running.delete(ticket);
    }
  }

  /** Abort the request with this ticket; false when none is running. */
  cancel(ticket: string): boolean {
    const controller = this.running.get(ticket);
    if (!controller) return false;
    controller.abort();
    this.running.delete(ticket);
    return true;
  }
}
