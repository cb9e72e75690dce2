// Liveness and readiness. Neither needs credentials; neither tells more than which part is failing.
import type { FastifyInstance } from 'fastify';
import { BridgeError, toProblem } from '../errors.ts';
import type { DurabilityCheck } from '../deployment/durability-check.ts';
import type { KafkaAdmin } from '../kafka/admin.ts';
import { backlog } from '../store/outbox-repo.ts';
import { pingDatabase, type Pool } from '../store/pool.ts';
import { problemResponse, problemSchema } from './problem-schema.ts';
import type { ShutdownGate } from './shutdown.ts';

export interface HealthDeps {
  pool: Pool;
  admin: KafkaAdmin;
  readyMaxOutboxAgeSeconds: number;
  /** Refusals of the durability check (decision 0107): readiness fails while one stands. */
  durability?: Pick<DurabilityCheck, 'refusals'>;
  shutdown?: ShutdownGate;
}

const CHECK_TIMEOUT_MS = 2_000;

type CheckResult = { status: 'ok' | 'failing'; [k: string]: unknown };

const checkSchema = { type: 'object', properties: { status: { type: 'string', enum: ['ok', 'failing'] } }, additionalProperties: true };
const checksSchema = {
  type: 'object',
  properties: {
    database: checkSchema,
    kafka: checkSchema,
    relay: {
      type: 'object',
      properties: { status: { type: 'string' }, pending: { type: 'integer' }, oldestAgeSeconds: { type: 'number' }, limitSeconds: { type: 'integer' } },
    },
    durability: {
      type: 'object',
      description: 'Settings of PostgreSQL or Kafka that break a guarantee (decision 0107): `refused` names the checks; the log says more',
      properties: { status: { type: 'string', enum: ['ok', 'failing'] }, refused: { type: 'array', items: { type: 'string' } } },
    },
    shutdown: { ...checkSchema, description: 'Present only while the replica stops (SIGTERM): then it is the one check, failing' },
  },
};
const readySchema = {
  type: 'object',
  required: ['status', 'checks'],
  properties: { status: { type: 'string', enum: ['ready'] }, checks: checksSchema },
};
/** Not ready is an error like any other (ADR /core/error-handling/problem-details): a problem document, with the
 * checks as an extension member so that an operator still sees which part fails. */
const notReadySchema = {
  ...problemSchema,
  required: [...problemSchema.required, 'checks'],
  properties: { ...problemSchema.properties, checks: checksSchema },
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
        operationId: 'getLiveness',
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
        operationId: 'getReadiness',
        summary: 'Readiness: PostgreSQL answers, Kafka answers, and the relay keeps up',
        response: {
          200: readySchema,
          503: problemResponse(
            'Not ready: checks names the failing part (database, kafka, relay, durability), or shutdown from the moment the replica is asked to stop, while it still serves requests for SHUTDOWN_DRAIN_MS',
            notReadySchema,
          ),
        },
      },
    },
    async (_request, reply) => {
      if (deps.shutdown?.stopping) {
        // At once, without asking the dependencies: the load balancer must take this replica out.
        const problem = new BridgeError('BRIDGE_NOT_READY', 'Shutting down', {
          extensions: { checks: { shutdown: { status: 'failing' } } },
          headers: { 'retry-after': '1' },
        });
        return reply.code(503).headers(problem.headers).type('application/problem+json').send(toProblem(problem, '/health/ready'));
      }
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
      const refused = deps.durability?.refusals().map((f) => f.check) ?? [];
      const durability: CheckResult = refused.length === 0 ? { status: 'ok' } : { status: 'failing', refused };
      const ready = database.status === 'ok' && kafka.status === 'ok' && relay.status === 'ok' && durability.status === 'ok';
      const checks = { database, kafka, relay, durability };
      if (ready) return { status: 'ready', checks };
      const failing = Object.entries(checks)
        .filter(([, check]) => check.status !== 'ok')
        .map(([name]) => name);
      const problem = new BridgeError('BRIDGE_NOT_READY', `Failing: ${failing.join(', ')}`, { extensions: { checks } });
      return reply.code(503).type('application/problem+json').send(toProblem(problem, '/health/ready'));
    },
  );
}
