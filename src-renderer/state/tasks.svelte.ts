// Long requests the page is waiting for (fields, previews, fixed points, report bundles): each
// gets a ticket, so the task bar can show its progress and stop it (task:cancel).
import { untrack } from 'svelte';
import {
  TASK_LABELS,
  type ApiClient,
  type Channel,
  type RequestOf,
  type ResponseOf,
  type TicketedChannel,
} from '../../src-shared/api/contract';

/**
 * Requests of these channels replace the previous one still running (a newer check of the
 * Lagrangian makes the older one moot): one fixed ticket each.
 */
const SUPERSEDING: ReadonlySet<Channel> = new Set(['system:check']);

export interface RunningTask {
  /** Unique per call (a superseding call reuses the ticket, never the serial). */
  readonly serial: number;
  readonly ticket: string;
  readonly what: string;
  readonly since: number;
  fraction: number | null;
}

class Tasks {
  running = $state<RunningTask[]>([]);
  private next = 1;

  ticketFor(channel: Channel): string {
    return SUPERSEDING.has(channel) ? channel : `${channel}#${this.next++}`;
  }

  // Called from components' effects (a field requested when a run opens): the list is read
  // untracked, or the effect would depend on the list it changes and run again forever.
  add(ticket: string, what: string): number {
    const serial = this.next++;
    this.running = [
      ...untrack(() => this.running).filter((t) => t.ticket !== ticket),
      { serial, ticket, what, since: performance.now(), fraction: null },
    ];
    return serial;
  }

  progress(ticket: string, fraction: number): void {
    const task = untrack(() => this.running).find((t) => t.ticket === ticket);
    if (task) task.fraction = fraction;
  }

  remove(serial: number): void {
    this.running = untrack(() => this.running).filter((t) => t.serial !== serial);
  }
}

export const tasks = new Tasks();

/**
 * The API with tickets on the long channels: each call is listed in `tasks` while it runs, with
 * its progress from `task:progress` events.
 */
export function withTaskTickets(api: ApiClient): ApiClient {
  let listening = false;
  return {
    transport: api.transport,
    on: (event, listener) => api.on(event, listener),
    ...(api.upload ? { upload: api.upload } : {}),
    async invoke<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
      if (!Object.hasOwn(TASK_LABELS, channel)) return api.invoke(channel, request);
      const what = TASK_LABELS[channel as TicketedChannel];
      if (!listening) {
        listening = true;
        api.on('task:progress', (p) => tasks.progress(p.ticket, p.fraction));
      }
      const ticket = tasks.ticketFor(channel);
      const serial = tasks.add(ticket, what);
      try {
        return await api.invoke(channel, { ...request, ticket });
      } finally {
        tasks.remove(serial); // a superseding call's entry has another serial and stays
      }
    },
  };
}
