// The top self-time functions of a V8 CPU profile (node --cpu-prof), for docs/performance.md.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
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
  return [...self.values()].sort((a, b) => b.us - a.us).slice(0, top).map((e) => ({ name: e.name, where: e.where, selfMs: e.us / 1_000, share: e.us / Math.max(total, 1) }));
}

export function newestProfile(dir: string): string | undefined {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).sort();
  return files.length > 0 ? join(dir, files[files.length - 1]!) : undefined;
}
