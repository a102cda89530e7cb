import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireLock, lockOwner, lockPathOf } from '../../src-main/store/owner-lock';

/*
 * Issue 32.9/10: three processes opening one project at the same instant got two or three
 * writers. Here racers (long-lived children, so every round starts them at the same instant)
 * take the lock together, round after round, with and without a holder killed mid-hold.
 */
const RACERS = 4;
const ROUNDS = 25;
const bootstrap = resolve('src-main/jobs/ts-worker-bootstrap.cjs');
const racerModule = resolve('test/store/lock-racer.ts');

let dir: string;
let project: string;
const racers: ChildProcess[] = [];

function spawnRacer(): Promise<ChildProcess> {
  const child = fork(bootstrap, [racerModule, project], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  racers.push(child);
  return new Promise((ready) => child.once('message', () => ready(child)));
}

const ask = (child: ChildProcess, m: string) =>
  new Promise<{ got?: boolean; code?: string }>((answer) => {
    child.once('message', answer);
    child.send(m);
  });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lagrange-lock-race-'));
  project = join(dir, 'same.lsproj');
  writeFileSync(project, '');
  for (let i = 0; i < RACERS; i++) await spawnRacer();
}, 60_000);

afterAll(() => {
  for (const r of racers) r.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('one writer, always', () => {
  it(`${RACERS} processes take the lock at the same instant, ${ROUNDS} rounds: exactly one wins each`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const live = racers.filter((r) => r.exitCode === null && r.signalCode === null);
      const answers = await Promise.all(live.map((r) => ask(r, 'take')));
      const winners = answers.filter((a) => a.got).length;
      expect(winners, `round ${round}`).toBe(1);
      expect(answers.filter((a) => !a.got).every((a) => a.code === 'locked')).toBe(true);
      if (round % 5 === 4) {
        // the holder crashes: its OS lock dies with it; the next round has exactly one winner
        const holder = live[answers.findIndex((a) => a.got)]!;
        holder.kill('SIGKILL');
        await new Promise((r) => holder.once('exit', r));
        await spawnRacer();
      } else await Promise.all(live.map((r) => ask(r, 'release')));
    }
  }, 120_000);

  it('a lock path that is a folder is named, not EISDIR', () => {
    const other = join(dir, 'other.lsproj');
    mkdirSync(lockPathOf(other));
    expect(() => acquireLock(other)).toThrow(/its lock file .* is a folder; remove or rename it/);
  });

  it('a dead holder leaves nothing stale, whatever its pid becomes (no pid is trusted)', async () => {
    const free = join(dir, 'free.lsproj');
    const racer = await spawnRacerFor(free);
    expect((await ask(racer, 'take')).got).toBe(true);
    expect(lockOwner(free)?.program).toMatch(/^racer /);
    racer.kill('SIGKILL');
    await new Promise((r) => racer.once('exit', r));
    // its owner record is left behind, but the lock is free
    const mine = acquireLock(free);
    expect(mine.fresh).toBe(true);
    mine.release();
  }, 30_000);
});

function spawnRacerFor(path: string): Promise<ChildProcess> {
  const child = fork(bootstrap, [racerModule, path], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  racers.push(child);
  return new Promise((ready) => child.once('message', () => ready(child)));
}
