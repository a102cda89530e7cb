// A racer for test/store/owner-lock-race.test.ts: on "take" it tries the project's lock at once
// and says whether it got it; on "release" it lets go; on "exit" it leaves.
import { acquireLock } from '../../src-main/store/owner-lock';

const project = process.argv[3]!; // argv[2] is this module (the tsx bootstrap's argument)
let release: (() => void) | null = null;
process.on('message', (m: string) => {
  if (m === 'take') {
    try {
      release = acquireLock(project, `racer ${process.pid}`).release;
      process.send!({ got: true });
    } catch (err) {
      process.send!({ got: false, code: (err as { code?: string }).code ?? 'error' });
    }
  } else if (m === 'release') {
    release?.();
    release = null;
    process.send!({ released: true });
  } else process.exit(0);
});
process.send!({ ready: true });
