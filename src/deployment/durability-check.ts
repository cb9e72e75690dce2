// The durability check (decision 0107): reads the PostgreSQL settings once at start and the Kafka settings of the
// bridge's topics in the background (the broker may come up after the bridge, and a topic's settings can change
// while it runs), logs each finding when it appears, exports them as a gauge and keeps the refusals for readiness.
import type { KafkaAdmin } from '../kafka/admin.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { Pool } from '../store/pool.ts';
import { readPostgresSettings } from '../store/server-settings.ts';
import { kafkaFindings, postgresFindings, refusing, type Finding } from './findings.ts';

export interface DurabilityCheckDeps {
  pool: Pool;
  admin: KafkaAdmin;
  metrics: Metrics;
  logger: Logger;
  mode: 'strict' | 'warn';
  /** Every topic the bridge writes or reads. */
  topics: () => string[];
  /** How often the Kafka settings are read again once every topic exists. */
  recheckMs?: number;
}

export interface DurabilityCheck {
  /** Reads and reports the PostgreSQL settings; returns the refusals that stop the start (none in warn mode). */
  checkPostgres(): Promise<Finding[]>;
  /** Reads and reports the Kafka settings until `signal` aborts: first once every topic exists, then now and then. */
  watchKafka(signal: AbortSignal): Promise<void>;
  /** The refusals in force (strict mode only): readiness fails while there is one. */
  refusals(): Finding[];
}

const RECHECK_MS = 5 * 60_000;
const MAX_RETRY_MS = 30_000;
const NOT_ALL_TOPICS = 'not every topic exists yet';

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    timer.unref();
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

export function createDurabilityCheck(deps: DurabilityCheckDeps): DurabilityCheck {
  const { logger, metrics, mode } = deps;
  const current = new Map<'postgres' | 'kafka', Finding[]>();

  /** Replaces one source's findings; logs only what is new, so a standing finding is not logged at every recheck. */
  function report(source: 'postgres' | 'kafka', findings: Finding[]): void {
    const before = new Set((current.get(source) ?? []).map((f) => f.message));
    current.set(source, findings);
    for (const f of findings) {
      if (before.has(f.message)) continue;
      const line = { check: f.check, severity: f.severity, durabilityChecks: mode };
      if (f.severity === 'refuse') logger.error(line, `${f.message}${mode === 'warn' ? ' (accepted: DURABILITY_CHECKS=warn)' : ''}`);
      else if (f.severity === 'warn') logger.warn(line, f.message);
      else logger.info(line, f.message);
    }
    const now = new Set(findings.map((f) => f.message));
    for (const gone of before) if (!now.has(gone)) logger.info({ source }, `no longer found: ${gone}`);
    metrics.settingsFindings.reset();
    for (const f of [...current.values()].flat()) metrics.settingsFindings.inc({ check: f.check, severity: f.severity });
  }

  return {
    async checkPostgres() {
      let findings: Finding[];
      try {
        findings = postgresFindings(await readPostgresSettings(deps.pool));
      } catch (err) {
        logger.warn({ err: { message: (err as Error).message } }, 'cannot read the PostgreSQL settings; the durability check of PostgreSQL is skipped');
        return [];
      }
      report('postgres', findings);
      return refusing(findings, mode);
    },

    async watchKafka(signal) {
      let warned = false;
      for (let retry = 1_000; !signal.aborted;) {
        try {
          const wanted = deps.topics();
          const settings = await deps.admin.describeDurability(wanted);
          // Until ensureTopics has made every topic, a partial answer would judge a part only.
          if (settings.topics.length < new Set(wanted).size) throw new Error(NOT_ALL_TOPICS);
          report('kafka', kafkaFindings(settings));
          retry = 1_000;
          await sleep(deps.recheckMs ?? RECHECK_MS, signal);
        } catch (err) {
          const message = (err as Error).message;
          // Topics still being made, or a broker not up yet, are expected at start; a failure that lasts through the
          // whole back-off (a denied DescribeConfigs) would otherwise leave the check silently undone: said once.
          if (message !== NOT_ALL_TOPICS && retry >= MAX_RETRY_MS && !warned) {
            warned = true;
            logger.warn({ err: { message } }, 'cannot check the Kafka settings; retrying (decision 0107)');
          } else logger.debug({ err: { message }, retryInMs: retry }, 'cannot check the Kafka settings yet');
          await sleep(retry, signal);
          retry = Math.min(retry * 2, MAX_RETRY_MS);
        }
      }
    },

    refusals() {
      return refusing([...current.values()].flat(), mode);
    },
  };
}
