// Run as another user by read-only.test.ts: open a project as the app does and report.
import { ProjectStore } from '../../src-main/store/project-store';

const path = process.argv[2]!;
const report: Record<string, unknown> = {};
try {
  const store = ProjectStore.open(path, { create: true });
  report.readOnly = store.readOnly;
  report.reason = store.readOnlyReason;
  report.runs = store.listRuns().map((r) => r.name);
  try {
    store.renameRun(1, 'changed');
  } catch (err) {
    report.writeError = (err as { code?: string }).code;
  }
  store.close();
} catch (err) {
  report.openError = { code: (err as { code?: string }).code, message: (err as Error).message };
}
console.log(JSON.stringify(report));
