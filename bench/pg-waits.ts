// What PostgreSQL's backends of one database are doing, sampled from pg_stat_activity while a bench step runs:
// how many are active per sample, and what the active ones wait on (IO:WALSync, Lock:object, ...) per sample.
// A diagnosis, not a measure of the bridge: the sampling itself costs a little of the machine.
import pg from 'pg';

export interface WaitSampler {
  stop(): Promise<string>;
}

export async function sampleWaits(databaseUrl: string, everyMs = 50): Promise<WaitSampler> {
  const c = new pg.Client({ connectionString: databaseUrl, application_name: 'bench wait sampler' });
  await c.connect();
  const counts = new Map<string, number>();
  let samples = 0;
  let active = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const { rows } = await c.query<{ wait: string | null }>(/* sql */ `SELECT wait_event_type || ':' || wait_event AS wait FROM pg_stat_activity
         WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid()`);
      samples++;
      active += rows.length;
      for (const r of rows) counts.set(r.wait ?? 'CPU', (counts.get(r.wait ?? 'CPU') ?? 0) + 1);
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      await c.end();
      const per = (n: number) => (n / Math.max(samples, 1)).toFixed(2);
      const top = [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5);
      return `active backends per sample ${per(active)} (${top.map(([w, n]) => `${w} ${per(n)}`).join(', ')})`;
    },
  };
}
