// What PostgreSQL's backends of one database are doing, sampled from pg_stat_activity while a bench step runs:
// how many are active per sample, what the active ones wait on (IO:WALSync, Lock:object, ...) and which statements
// (or background workers: autovacuum) they run, per sample. A diagnosis, not a measure of the bridge: the sampling
// itself costs a little of the machine.
import pg from 'pg';

export interface WaitSampler {
  stop(): Promise<string>;
}

// A statement's first words stand for it: enough to tell the feed's page from an ingest or a disclosure.
const label = (backend: string, query: string) => (backend === 'client backend' ? query.replace(/\s+/g, ' ').trim().slice(0, 60) : backend);

export async function sampleWaits(databaseUrl: string, everyMs = 50): Promise<WaitSampler> {
  const c = new pg.Client({ connectionString: databaseUrl, application_name: 'bench wait sampler' });
  await c.connect();
  const waits = new Map<string, number>();
  const work = new Map<string, number>();
  const add = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  let samples = 0;
  let active = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const { rows } = await c.query<{
        wait: string | null;
        backend: string;
        query: string;
      }>(/* sql */ `SELECT wait_event_type || ':' || wait_event AS wait, backend_type AS backend, query FROM pg_stat_activity
         WHERE datname = current_database() AND (state = 'active' OR backend_type <> 'client backend') AND pid <> pg_backend_pid()`);
      samples++;
      active += rows.length;
      for (const r of rows) {
        add(waits, r.wait ?? 'CPU');
        add(work, label(r.backend, r.query));
      }
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      await c.end();
      const per = (n: number) => (n / Math.max(samples, 1)).toFixed(2);
      const top = (m: Map<string, number>, n: number) =>
        [...m.entries()]
          .sort((a, b) => b[1] - a[1])
          .slice(0, n)
          .map(([k, v]) => `${k} ${per(v)}`)
          .join(', ');
      return `active backends per sample ${per(active)} (${top(waits, 5)}); running: ${top(work, 4)}`;
    },
  };
}
