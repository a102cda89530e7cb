import { bounds } from '../dto/sampling';
import type { StudySpec } from './study-schema';

/**
 * Honest run names: a run keeps its template's name (a bundled study, the start screen's) only
 * while its configuration is the template's; otherwise the name says what the run is — the parts
 * that differ, e.g. "exact form · GD lr 0.01 · q∈[−6, −4]×[4, 6]".
 */
export function runName(study: StudySpec, template: StudySpec | null): string {
  const parts = differences(study, template);
  if (template && parts.length === 0) return template.name;
  const shown = parts.length
    ? parts
    : [familyLabel(study), optimizerLabel(study), windowLabel(study)];
  return shown.map((p) => p.short).join(' · ');
}

/** "Based on “…”; changed: …", or the template's own description when nothing changed. */
export function runDescription(study: StudySpec, template: StudySpec | null): string {
  const parts = differences(study, template);
  if (!template) return study.description ?? '';
  if (parts.length === 0) return template.description ?? '';
  return `Based on “${template.name}”, changed: ${parts.map((p) => p.long).join('; ')}.`;
}

interface Part {
  short: string;
  long: string;
}

const num = (v: number) => String(Number(v.toPrecision(6))).replace('-', '−');

function familyLabel(s: StudySpec): Part {
  const m = s.model;
  const short =
    m.family === 'exact-form'
      ? 'exact form'
      : m.family === 'polynomial' || m.family === 'coupling-polynomial'
        ? `${m.family.replace('-', ' ')} N=${m.order}`
        : m.family === 'discovery'
          ? 'discovery'
          : `${m.family.replace('-', ' ')} (${m.hidden.join(', ')})`;
  return { short, long: `model ${short}` };
}

function optimizerLabel(s: StudySpec): Part {
  const o = s.optimizer;
  const name = o.algorithm === 'gd' ? 'GD' : o.algorithm === 'adam' ? 'Adam' : o.algorithm;
  const short = `${name} lr ${num(o.learningRate)}`;
  return { short, long: `optimizer ${short}` };
}

function stepsLabel(s: StudySpec): Part {
  return { short: `${s.stopping.maxSteps} steps`, long: `${s.stopping.maxSteps} steps` };
}

function windowLabel(s: StudySpec): Part {
  const q = s.sampling.window.q.map(bounds);
  const short = `q∈${q.map((b) => `[${num(b.min)}, ${num(b.max)}]`).join('×')}`;
  return { short, long: `window ${short}` };
}

function dataLabel(s: StudySpec): Part {
  const measured = 'measured' in s && s.measured;
  const short = measured ? 'measured data' : `${s.sampling.count} points`;
  return { short, long: short };
}

/** What differs from the template, in the order a reader cares about. */
function differences(study: StudySpec, template: StudySpec | null): Part[] {
  if (!template) return [];
  const same = (f: (s: StudySpec) => unknown) =>
    JSON.stringify(f(study)) === JSON.stringify(f(template));
  const out: Part[] = [];
  if (!same((s) => s.system.lagrangian) || !same((s) => s.system.parameters))
    out.push({ short: study.system.name, long: `system ${study.system.name}` });
  if (!same((s) => s.model)) out.push(familyLabel(study));
  if (!same((s) => s.optimizer)) out.push(optimizerLabel(study));
  if (!same((s) => s.stopping.maxSteps)) out.push(stepsLabel(study));
  if (!same((s) => s.sampling.window)) out.push(windowLabel(study));
  if (!same((s) => s.sampling.count) || !same((s) => ('measured' in s ? s.measured : null)))
    out.push(dataLabel(study));
  return out;
}
