import type { Pool, PoolClient } from './pool.ts';

// Serialization failure = 40001, deadlock = 40P01: both are safe to retry from the start.
const RETRIABLE = new Set(['40001', '40P01']);

export interface TransactionOptions {
  retries?: number;
  isolation?: 'read committed' | 'repeatable read' | 'serializable';
}

/** Runs fn in one transaction on one connection; commits on success, rolls back on any error. */
export async function withTransaction<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  const retries = options.retries ?? 3;
  for (let attempt = 0; ; attempt++) {
    const client = await pool.connect();
    let broken = false;
    try {
      await client.query(options.isolation ? `BEGIN ISOLATION LEVEL ${options.isolation.toUpperCase()}` : 'BEGIN');
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      try {
        await client.query('ROLLBACK');
      } catch {
        broken = true; // the connection itself is gone; do not return it to the pool
      }
      const code = (err as { code?: string }).code;
      if (code && RETRIABLE.has(code) && attempt < retries) continue;
      throw err;
    } finally {
      client.release(broken);
    }
  }
}

/** Runs fn on one connection without an explicit transaction: for work whose only write is one statement, which
 * is a transaction of its own (decision 0096). A deadlock or serialization failure rolled that statement back,
 * so fn runs again from the start, as withTransaction does. After any error the connection is tried once before
 * it goes back to the pool (withTransaction's ROLLBACK does the same), so a broken one is dropped. */
export async function withStatements<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>, retries = 3): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const client = await pool.connect();
    let broken = false;
    try {
      return await fn(client);
    } catch (err) {
      try {
        await client.query('SELECT 1');
      } catch {
        broken = true;
      }
      const code = (err as { code?: string }).code;
      if (code && RETRIABLE.has(code) && attempt < retries) continue;
      throw err;
    } finally {
      client.release(broken);
    }
  }
}
