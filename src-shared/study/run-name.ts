import { bounds } from '../dto/sampling';
import type { StudySpec } from './study-schema';
import { libraryTexts } from './library-texts';

/**
 * Honest run names: a run keeps its template's name (a bundled study, the start screen's) only
 * while its configuration is the template's; otherwise the name says what the run is — the parts
 * that differ, e.g. "exact form · GD lr 0.01 · q∈[−6, −4]×[4, 6]".
 */
export function runName(study: StudySpec, template: StudySpec | null): string {
  const parts = differences(study, template);
  if (template && parts.length === 0) return template.name;
  const discovery = study.model.family === 'discovery';
  const noise = noiseLabel(study);
  const shown = parts.length
    ? parts
    : [
        familyLabel(study),
        ...(discovery ? [] : [optimizerLabel(study)]),
        ...(noise ? [noise] : []),
        windowLabel(study),
      ];
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
          ? `discovery · ${new Set(libraryTexts(m.library, s.system)).size} terms`
          : `${m.family.replace('-', ' ')} (${m.hidden.join(', ')})`;
  // a model with its own Lagrangian is a refined discovery (its free coefficients c1, c2, …)
  const refined =
    m.family === 'exact-form' && m.expression
      ? `refined discovery · ${m.expression.parameters.length + 1} terms`
      : null;
  return { short: refined ?? short, long: `model ${refined ?? short}` };
}

function noiseLabel(s: StudySpec): Part | null {
  const relative = s.sampling.accelerationNoise?.relative;
  if (!relative) return null;
  const short = `${num(relative * 100)} % noise`;
  return { short, long: `${short} on q̈` };
}

function landscapeLabel(s: StudySpec): Part {
  const l = s.landscape;
  const short = l ? `landscape ${l.x.count}×${l.y.count}` : 'no landscape';
  return { short, long: short };
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
  if (!same((s) => s.system.lagrangian) || !same((s) => s.system.parameters)) {
    // an edited Lagrangian under the preset's unchanged name is not that preset
    const renamed = study.system.name !== template.system.name;
    const short = renamed ? study.system.name : `edited ${study.system.name}`;
    out.push({ short, long: `system ${short}` });
  }
  if (!same((s) => s.model)) out.push(familyLabel(study));
  if (!same((s) => s.sampling.accelerationNoise))
    out.push(noiseLabel(study) ?? { short: 'no noise', long: 'no noise on q̈' });
  if (!same((s) => s.landscape)) out.push(landscapeLabel(study));
  if (!same((s) => s.optimizer)) out.push(optimizerLabel(study));
  if (!same((s) => s.stopping.maxSteps)) out.push(stepsLabel(study));
  if (!same((s) => s.sampling.window)) out.push(windowLabel(study));
  if (!same((s) => s.sampling.count) || !same((s) => ('measured' in s ? s.measured : null)))
    out.push(dataLabel(study));
  return out;
}
