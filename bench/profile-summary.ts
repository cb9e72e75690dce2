// The top self-time functions of a V8 CPU profile (node --cpu-prof), for docs/performance.md.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface HotFunction {
  name: string;
  where: string;
  selfMs: number;
  share: number;
}

export function summariseProfile(file: string, top = 15): HotFunction[] {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<string, { name: string; where: string; us: number }>();
  let total = 0;
  p.samples.forEach((id, i) => {
    const n = byId.get(id);
    const dt = p.timeDeltas[i] ?? 0;
    if (!n) return;
    const f = n.callFrame;
    // Idle time is the event loop waiting, not work.
    if (f.functionName === '(idle)') return;
    total += dt;
    const where = f.url ? `${f.url.replace(/^file:\/\/.*?\/(node_modules|src)\//, '$1/')}:${f.lineNumber + 1}` : '';
    const key = `${f.functionName}|${where}`;
    const e = self.get(key) ?? { name: f.functionName || '(anonymous)', where, us: 0 };
    e.us += dt;
    self.set(key, e);
  });
  return [...self.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, top)
    .map((e) => ({ name: e.name, where: e.where, selfMs: e.us / 1_000, share: e.us / Math.max(total, 1) }));
}

export function newestProfile(dir: string): string | undefined {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .sort();
  return files.length > 0 ? join(dir, files[files.length - 1]!) : undefined;
}

/** Self time per project file or package: each sample goes to the nearest frame in src/ or node_modules/<pkg>. */
export function byPackage(file: string, top = 20): { owner: string; selfMs: number; share: number }[] {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const owners = new Map<string, number>();
  let total = 0;
  p.samples.forEach((id, i) => {
    const first = byId.get(id);
    if (!first || first.callFrame.functionName === '(idle)') return;
    const dt = p.timeDeltas[i] ?? 0;
    total += dt;
    let owner: string | undefined;
    for (let cur: number | undefined = id; cur !== undefined && !owner; cur = parent.get(cur)) {
      owner = /\/(src\/[^:]+|node_modules\/(?:@[^/]+\/)?[^/]+)/.exec(byId.get(cur)?.callFrame.url ?? '')?.[1];
    }
    owner ??= first.callFrame.functionName.startsWith('(') ? first.callFrame.functionName : '(node internals)';
    owners.set(owner, (owners.get(owner) ?? 0) + dt);
  });
  return [...owners]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([owner, us]) => ({ owner, selfMs: us / 1_000, share: us / Math.max(total, 1) }));
}

/** Where a function (e.g. writev) is called from: self time by the nearest caller in src/. */
export function callersOf(file: string, fn: string): { caller: string; selfMs: number }[] {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
  const callers = new Map<string, number>();
  for (const n of p.nodes) {
    if (n.callFrame.functionName !== fn) continue;
    let caller = '(no caller in src/)';
    for (let cur = parent.get(n.id); cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur)!.callFrame;
      if (/\/src\//.test(f.url)) {
        caller = `${f.functionName} ${f.url.replace(/^.*\/src\//, 'src/')}:${f.lineNumber + 1}`;
        break;
      }
    }
    callers.set(caller, (callers.get(caller) ?? 0) + (self.get(n.id) ?? 0));
  }
  return [...callers].sort((a, b) => b[1] - a[1]).map(([caller, us]) => ({ caller, selfMs: us / 1_000 }));
}
