import { ProjectStore } from './project-store';

/**
 * Copy every run of other projects (with metrics, grids, tags and fixed points) into one, under
 * new ids: how the shards of a sweep run on a cluster come together.
 */
export function mergeProjects(
  targetPath: string,
  sourcePaths: readonly string[],
): { imported: number } {
  const target = ProjectStore.open(targetPath, { create: true });
  let imported = 0;
  try {
    for (const source of sourcePaths) {
      // Validates the file: refuses non-projects, newer schemas and damaged files.
      ProjectStore.open(source).close();
      imported += target.importFrom(source);
    }
  } finally {
    target.close();
  }
  return { imported };
}
