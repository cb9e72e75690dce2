// Liveness and readiness. Neither needs credentials; neither tells more than which part is failing.
import type { FastifyInstance } from 'fastify';
import type { KafkaAdmin } from '../kafka/admin.ts';
import { backlog } from '../store/outbox-repo.ts';
import { pingDatabase, type Pool } from '../store/pool.ts';

export interface HealthDeps {
  pool: Pool;
  admin: KafkaAdmin;
  readyMaxOutboxAgeSeconds: number;
}

const CHECK_TIMEOUT_MS = 2_000;

type CheckResult = { status: 'ok' | 'failing'; [k: string]: unknown };

const checkSchema = { type: 'object', properties: { status: { type: 'string', enum: ['ok', 'failing'] } }, additionalProperties: true };
const readySchema = {
  type: 'object',
  required: ['status', 'checks'],
  properties: {
    status: { type: 'string', enum: ['ready', 'not-ready'] },
    checks: {
      type: 'object',
      properties: {
        database: checkSchema,
        kafka: checkSchema,
        relay: {
          type: 'object',
          properties: { status: { type: 'string' }, pending: { type: 'integer' }, oldestAgeSeconds: { type: 'number' }, limitSeconds: { type: 'integer' } },
        },
      },
    },
  },
};

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), ms)))]).finally(() => clearTimeout(timer));
}

export async function healthRoutes(app: FastifyInstance, deps: HealthDeps): Promise<void> {
  app.get(
    '/health/live',
    {
      config: { access: 'public' },
      schema: {
        tags: ['operations'],
        summary: 'Liveness: the process is up',
        response: { 200: { type: 'object', properties: { status: { type: 'string', enum: ['live'] } } } },
      },
    },
    async () => ({ status: 'live' }),
  );

  app.get(
    '/health/ready',
    {
      config: { access: 'public' },
      schema: {
        tags: ['operations'],
        summary: 'Readiness: PostgreSQL answers, Kafka answers, and the relay keeps up',
        response: { 200: readySchema, 503: readySchema },
      },
    },
    async (_request, reply) => {
      const [database, kafka] = await Promise.all([
        withTimeout(pingDatabase(deps.pool), CHECK_TIMEOUT_MS).then(
          (): CheckResult => ({ status: 'ok' }),
          (): CheckResult => ({ status: 'failing' }),
        ),
        deps.admin.ping(CHECK_TIMEOUT_MS).then(
          (): CheckResult => ({ status: 'ok' }),
          (): CheckResult => ({ status: 'failing' }),
        ),
      ]);
      let relay: CheckResult;
      if (database.status === 'ok') {
        try {
          const b = await withTimeout(backlog(deps.pool), CHECK_TIMEOUT_MS);
          const ok = b.oldestAgeSeconds <= deps.readyMaxOutboxAgeSeconds;
          relay = {
            status: ok ? 'ok' : 'failing',
            pending: b.pending,
            oldestAgeSeconds: Math.round(b.oldestAgeSeconds * 10) / 10,
            limitSeconds: deps.readyMaxOutboxAgeSeconds,
          };
        } catch {
          relay = { status: 'failing' };
        }
      } else {
        relay = { status: 'failing' };
      }
      const ready = database.status === 'ok' && kafka.status === 'ok' && relay.status === 'ok';
      return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not-ready', checks: { database, kafka, relay } });
    },
  );
}
