import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunDetail } from '../../src-shared/dto/runs';
import { parseStudy, type StudySpec } from '../../src-shared/study/study-schema';
import { crc32c, maskedCrc } from '../../src-main/export/tfevents';
import { exportRuns, runFolder } from '../../src-main/export/run-export';
import { JobQueue } from '../../src-main/jobs/job-queue';
import { ProjectStore } from '../../src-main/store/project-store';
import { hasNumpy, python } from '../python';

const RECIPE = resolve('resources/python');

/** The report's §1.1 study, small: 500 points, 200 gradient-descent steps, a 21 × 21 landscape. */
function smallStudy(): StudySpec {
  const base = parseStudy(
    JSON.parse(readFileSync('resources/studies/1.1-origin-exact-fit.json', 'utf8')),
  );
  return {
    ...base,
    sampling: { ...base.sampling, count: 500 },
    stopping: { maxSteps: 200 },
    landscape: {
      x: { parameter: 'k', min: 0, max: 8, count: 21 },
      y: { parameter: 'alpha', min: 0, max: 2, count: 21 },
    },
    rollout: undefined,
    fixedPoints: undefined,
  };
}

let dir: string;
let detail: RunDetail;
let projectPath: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lagrange-interop-'));
  projectPath = join(dir, 'p.lsproj');
  const store = ProjectStore.open(projectPath, { create: true });
  const queue = new JobQueue(store, { checkpointIntervalMs: 100 });
  try {
    const id = queue.start(smallStudy());
    expect(await queue.waitFor(id)).toBe('completed');
    detail = store.detail(id)!;
  } finally {
    await queue.close();
    store.close();
  }
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!hasNumpy)('Python and NumPy read what the app stores and exports', () => {
  it('the recipe in resources/python loads runs, metrics and grids with sqlite3 + numpy', () => {
    const got = python<{
      names: string[];
      config: string;
      fitted: number[];
      steps: number[];
      loss: number[];
      parameters: number[][];
      grids: Array<{ kind: string; shape: number[]; values: number[]; x: number[] }>;
    }>(
      `import json, sys
sys.path.insert(0, sys.argv[2])
import lagrange_project as lp
runs = lp.runs(sys.argv[1])
m = lp.metrics(sys.argv[1], runs[0]["id"])
g = lp.grids(sys.argv[1], runs[0]["id"])
print(json.dumps({
  "names": m["names"], "config": runs[0]["config"]["name"],
  "fitted": runs[0]["results"]["training"]["parameters"],
  "steps": m["steps"].tolist(), "loss": m["loss"].tolist(), "parameters": m["parameters"].tolist(),
  "grids": [{"kind": x["kind"], "shape": list(x["values"].shape), "values": x["values"].ravel().tolist(),
             "x": x["x"].tolist()} for x in g]}))`,
      [projectPath, RECIPE],
    );
    expect(got.names).toEqual(['k', 'alpha']);
    expect(got.config).toBe(detail.run.config.name);
    expect(got.fitted).toEqual(detail.run.results!.training.parameters);
    expect(got.steps).toEqual(detail.metrics.steps);
    expect(got.loss).toEqual(detail.metrics.loss);
    expect(got.parameters).toEqual(detail.metrics.parameters);
    const landscape = detail.grids.find((g) => g.kind === 'landscape')!;
    const py = got.grids.find((g) => g.kind === 'landscape')!;
    expect(py.shape).toEqual([21, 21]);
    expect(py.values).toEqual(landscape.data);
    expect(py.x).toEqual(landscape.meta.xValues);
  });

  it('exported .npy and .npz files load with numpy.load to the same values', () => {
    const out = join(dir, 'export');
    exportRuns([detail], out, ['npy', 'npz', 'csv']);
    const folder = join(out, runFolder(detail));
    const got = python<Record<string, { shape: number[]; values: number[] }>>(
      `import json, sys
import numpy as np
d = sys.argv[1]
z = np.load(d + "/run.npz")
arrays = {name: np.load(d + "/" + name + ".npy") for name in ["loss", "parameters", "grid_landscape", "dataset_q", "dataset_qdd"]}
arrays["npz_loss"] = z["loss"]
arrays["npz_parameters"] = z["parameters"]
print(json.dumps({k: {"shape": list(v.shape), "values": v.ravel().tolist()} for k, v in arrays.items()}))`,
      [folder],
    );
    const m = detail.metrics;
    expect(got.loss!.values).toEqual(m.loss);
    expect(got.parameters!.shape).toEqual([m.steps.length, 2]);
    expect(got.parameters!.values).toEqual(m.parameters.flat());
    expect(got.npz_loss!.values).toEqual(m.loss);
    expect(got.npz_parameters!.values).toEqual(m.parameters.flat());
    expect(got.grid_landscape!.shape).toEqual([21, 21]);
    expect(got.grid_landscape!.values).toEqual(
      detail.grids.find((g) => g.kind === 'landscape')!.data,
    );
    // The dataset is regenerated from the run's recipe: as many points as the run used.
    expect(got.dataset_q!.shape).toEqual([detail.run.results!.dataset.n, 2]);
    expect(got.dataset_qdd!.shape).toEqual([detail.run.results!.dataset.n, 2]);
    const csv = readFileSync(join(folder, 'metrics.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('step,loss,k,alpha,grad_k,grad_alpha');
    expect(csv.length).toBe(m.steps.length + 1);
  });
});

describe('TensorBoard event files', () => {
  it('CRC-32C matches its check value', () => {
    // The standard check: CRC-32C("123456789") = 0xE3069283.
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
  });

  it("round-trip: every record's CRCs hold and the scalars read back", () => {
    const out = join(dir, 'tb');
    exportRuns([detail], out, ['tfevents']);
    const folder = join(out, 'tensorboard', runFolder(detail));
    const file = readdirSync(folder).find((f) => f.startsWith('events.out.tfevents.'))!;
    const events = readEvents(readFileSync(join(folder, file)));
    expect(events[0]!.fileVersion).toBe('brain.Event:2');
    const scalars = events.slice(1);
    const m = detail.metrics;
    expect(scalars.map((e) => e.step)).toEqual(m.steps);
    scalars.forEach((e, i) => {
      expect(e.values.loss).toBe(Math.fround(m.loss[i]!));
      expect(e.values['parameters/k']).toBe(Math.fround(m.parameters[i]![0]!));
      expect(e.values['parameters/alpha']).toBe(Math.fround(m.parameters[i]![1]!));
    });
  });

  it('MLflow run folders hold params and metrics in its file layout', () => {
    const out = join(dir, 'ml');
    exportRuns([detail], out, ['mlflow']);
    const run = join(out, 'mlruns', '0', String(detail.run.id));
    expect(readFileSync(join(run, 'params', 'optimizer.algorithm'), 'utf8')).toBe('gd');
    const loss = readFileSync(join(run, 'metrics', 'loss'), 'utf8')
      .trim()
      .split('\n');
    expect(loss.length).toBe(detail.metrics.steps.length);
    const [, value, step] = loss.at(-1)!.split(' ');
    expect(Number(value)).toBe(detail.metrics.loss.at(-1));
    expect(Number(step)).toBe(detail.metrics.steps.at(-1));
  });
});

/** A small independent reader: records, their masked CRCs, and the Event protobuf. */
function readEvents(buf: Buffer) {
  const events: Array<{ step: number; fileVersion?: string; values: Record<string, number> }> = [];
  let at = 0;
  while (at < buf.length) {
    const length = Number(buf.readBigUInt64LE(at));
    expect(buf.readUInt32LE(at + 8)).toBe(maskedCrc(buf.subarray(at, at + 8)));
    const data = buf.subarray(at + 12, at + 12 + length);
    expect(buf.readUInt32LE(at + 12 + length)).toBe(maskedCrc(data));
    events.push(decodeEvent(data));
    at += 16 + length;
  }
  return events;
}

function fields(data: Buffer): Array<{ field: number; wire: number; value: Buffer | bigint }> {
  const out: Array<{ field: number; wire: number; value: Buffer | bigint }> = [];
  let i = 0;
  const varint = () => {
    let v = 0n,
      shift = 0n;
    for (;;) {
      const b = data[i++]!;
      v |= BigInt(b & 0x7f) << shift;
      shift += 7n;
      if (!(b & 0x80)) return v;
    }
  };
  while (i < data.length) {
    const key = Number(varint());
    const [field, wire] = [key >> 3, key & 7];
    if (wire === 0) out.push({ field, wire, value: varint() });
    else if (wire === 1) out.push({ field, wire, value: data.subarray(i, (i += 8)) });
    else if (wire === 5) out.push({ field, wire, value: data.subarray(i, (i += 4)) });
    else {
      const n = Number(varint());
      out.push({ field, wire, value: data.subarray(i, (i += n)) });
    }
  }
  return out;
}

function decodeEvent(data: Buffer) {
  const event: { step: number; fileVersion?: string; values: Record<string, number> } = {
    step: 0,
    values: {},
  };
  for (const f of fields(data)) {
    if (f.field === 2) event.step = Number(f.value);
    if (f.field === 3) event.fileVersion = (f.value as Buffer).toString('utf8');
    if (f.field === 5)
      for (const v of fields(f.value as Buffer)) {
        const parts = fields(v.value as Buffer);
        const tag = (parts.find((p) => p.field === 1)!.value as Buffer).toString('utf8');
        event.values[tag] = (parts.find((p) => p.field === 2)!.value as Buffer).readFloatLE(0);
      }
  }
  return event;
}
