// npm run merge -- TARGET.lsproj SOURCE.lsproj [SOURCE.lsproj …] — bring the shards of a sweep into
// one project.
import { resolve } from 'node:path';
import { mergeProjects } from '../store/merge-projects';

const [target, ...sources] = process.argv.slice(2);
if (!target || sources.length === 0) {
  console.error('usage: npm run merge -- TARGET.lsproj SOURCE.lsproj [SOURCE.lsproj …]');
  process.exit(2);
}
try {
  const { imported } = mergeProjects(
    resolve(target),
    sources.map((s) => resolve(s)),
  );
  console.log(`merged ${imported} runs from ${sources.length} project(s) into ${target}`);
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}
