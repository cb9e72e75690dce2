// How many checkpoints PostgreSQL has begun so far (timed and requested). A round that spans one pays for its
// full-page writes: every page's first change after it goes whole into the WAL, and each commit's WAL flush grows.
// bench:feed prints the count per round, so that a round's p99 can be read against it.
import pg from 'pg';

export async function checkpointsSoFar(databaseUrl: string): Promise<number> {
  const c = new pg.Client({ connectionString: databaseUrl, application_name: 'bench checkpoint count' });
  await c.connect();
  try {
    const { rows: v } = await c.query<{ n: string }>(/* sql */ `SELECT current_setting('server_version_num') AS n`);
    // PostgreSQL 17 moved the counts from pg_stat_bgwriter to pg_stat_checkpointer.
    const sql =
      Number(v[0]!.n) >= 170000
        ? /* sql */ `SELECT num_timed + num_requested AS n FROM pg_stat_checkpointer`
        : /* sql */ `SELECT checkpoints_timed + checkpoints_req AS n FROM pg_stat_bgwriter`;
    const { rows } = await c.query<{ n: string }>(sql);
    return Number(rows[0]!.n);
  } finally {
    await c.end();
  }
}
