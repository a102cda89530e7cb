// Every child process a test spawns is tracked here and killed when its test file ends (and when
// the test worker exits), even when a test failed or timed out: nothing keeps running afterwards.
import type { ChildProcess } from 'node:child_process';

const live = new Set<ChildProcess>();

/** Track a spawned child until it exits; returns it. */
export function tracked<T extends ChildProcess>(child: T): T {
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

/** SIGKILL every tracked child still running (its whole group when it was started detached). */
export function killTrackedChildren(): void {
  for (const child of live) {
    if (child.exitCode !== null || child.signalCode !== null || !child.pid) continue;
    try {
      process.kill(-child.pid, 'SIGKILL'); // a detached child leads its own process group
    } catch {
      child.kill('SIGKILL');
    }
  }
  live.clear();
}

process.once('exit', killTrackedChildren);
