// Configuration: read from the environment once at start and checked against one JSON Schema.
// Every problem is reported in one message so an operator fixes them in one round.
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { readClientsFile, type DeclaredClient } from './auth/clients.ts';
import { parseSeverities, type Severities } from './quality/severity.ts';
import { DEFAULT_POLICY_FILE } from './exchange/policy-load.ts';
import { parseKeyFile } from './privacy/key-file.ts';
import type { PseudonymKey } from './privacy/pseudonym.ts';

type Section = 'database' | 'kafka' | 'http' | 'security' | 'relay' | 'jobs' | 'privacy' | 'quality' | 'service';

interface VarSpec {
  section: Section;
  /** The variable's JSON Schema; its `description` and `default` also make the README's configuration table. */
  schema: { description: string; default?: unknown } & Record<string, unknown>;
  required?: boolean;
  secret?: boolean;
}

const int = (minimum: number, maximum: number, defaultValue: number, description: string) => ({ type: 'integer', minimum, maximum, default: defaultValue, description });
const bool = (defaultValue: boolean, description: string) => ({ type: 'boolean', default: defaultValue, description });
const file = (description: string) => ({ type: 'string', minLength: 1, maxLength: 4096, description });
const cron = (defaultValue: string, description: string) => ({ type: 'string', pattern: '^[0-9*/,\\- ]{9,100}$', default: defaultValue, description });

// The one schema. Keys are environment variable names; `section` lets a command (migrate) load only what it needs.
// Descriptions are Markdown (README.md's table is written from them by `npm run docs:config`) and also name the
// variable's purpose in a configuration error.
export const VARIABLES: Record<string, VarSpec> = {
  DATABASE_URL: { section: 'database', required: true, secret: true, schema: { type: 'string', pattern: '^postgres(ql)?://', description: 'PostgreSQL connection URL' } },
  PG_POOL_MAX: { section: 'database', schema: int(1, 200, 10, 'connections in the database pool') },
  PG_STATEMENT_TIMEOUT_MS: { section: 'database', schema: int(100, 600_000, 15_000, 'server-side statement timeout of the pool\'s connections') },
  PG_CONNECT_TIMEOUT_MS: { section: 'database', schema: int(100, 60_000, 3_000, 'how long to wait for a database connection') },
  MIGRATE_ON_START: { section: 'database', schema: bool(false, 'apply pending migrations at start') },

  KAFKA_BROKERS: { section: 'kafka', required: true, schema: { type: 'string', pattern: '^[A-Za-z0-9.-]+:[0-9]{1,5}(,[A-Za-z0-9.-]+:[0-9]{1,5})*$', description: '`host:port[,host:port...]`' } },
  KAFKA_CLIENT_ID: { section: 'kafka', schema: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,100}$', default: 'gcos-zsm-bridge', description: 'Kafka client id' } },
  KAFKA_TOPIC_PREFIX: { section: 'kafka', schema: { type: 'string', pattern: '^[A-Za-z0-9._-]{0,60}$', default: '', description: 'a prefix for every topic (environments, tests)' } },
  KAFKA_TOPIC_PARTITIONS: { section: 'kafka', schema: int(1, 1000, 3, 'partitions of topics the bridge creates') },
  KAFKA_REPLICATION_FACTOR: { section: 'kafka', schema: int(1, 10, 1, 'replication factor of topics the bridge creates (use 3 replicas in production)') },
  INBOUND_ENABLED: { section: 'kafka', schema: bool(true, 'consume ZSM case events from the inbound topic in this process') },
  INBOUND_TOPIC: { section: 'kafka', schema: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,200}$', default: 'zsm.case-events.v1', description: 'the inbound topic of ZSM case events (`KAFKA_TOPIC_PREFIX` is put in front)' } },
  INBOUND_GROUP_ID: { section: 'kafka', schema: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,200}$', default: 'gcos-zsm-bridge-inbound', description: 'consumer group of the inbound topic (shared by all replicas)' } },
  KAFKA_REQUEST_TIMEOUT_MS: { section: 'kafka', schema: int(500, 120_000, 5_000, 'how long the Kafka client waits for the broker to answer a request') },

  PORT: { section: 'http', schema: int(0, 65_535, 8080, 'HTTP port') },
  HOST: { section: 'http', schema: { type: 'string', minLength: 1, maxLength: 255, default: '0.0.0.0', description: 'HTTP bind address' } },
  BODY_LIMIT_BYTES: { section: 'http', schema: int(1024, 10 * 1024 * 1024, 262_144, 'largest request body') },
  BATCH_MAX_ITEMS: { section: 'http', schema: int(1, 1_000, 100, 'most advices in one `POST /v1/advice-batches`') },
  BATCH_BODY_LIMIT_BYTES: { section: 'http', schema: int(1024, 64 * 1024 * 1024, 4 * 1024 * 1024, 'largest body of one `POST /v1/advice-batches`') },
  SHUTDOWN_TIMEOUT_MS: { section: 'http', schema: int(100, 120_000, 10_000, 'grace period for in-flight work at shutdown (SIGTERM)') },
  REQUEST_TIMEOUT_MS: { section: 'http', schema: int(1_000, 600_000, 30_000, 'longest time to receive a whole request (slow clients are cut off)') },
  TLS_CERT: { section: 'http', schema: file('PEM certificate (chain) file: with `TLS_KEY` the bridge serves HTTPS') },
  TLS_KEY: { section: 'http', schema: file('PEM private key file of `TLS_CERT`') },
  TLS_CA: { section: 'http', schema: file('PEM file of the authorities whose client certificates are trusted: with it, mutual TLS (the bridge asks for a client certificate)') },
  READY_MAX_OUTBOX_AGE_SECONDS: { section: 'http', schema: int(1, 86_400 * 7, 300, 'readiness fails when the oldest undelivered message is older') },

  CLIENTS_FILE: { section: 'security', schema: file('JSON or YAML file declaring the clients (see Clients); without it every protected route answers 401') },
  METRICS_PUBLIC: { section: 'security', schema: bool(false, 'serve `/metrics` without credentials (otherwise it needs the `ops` role)') },
  RATE_LIMIT_PER_MINUTE: { section: 'security', schema: int(0, 1_000_000, 600, 'requests per minute per client and replica (a client may declare its own); `0` = off') },
  SHED_EVENT_LOOP_DELAY_MS: { section: 'security', schema: int(0, 60_000, 200, 'shed load (503) when the mean event-loop delay exceeds this; `0` = off') },
  SHED_EVENT_LOOP_UTILIZATION: { section: 'security', schema: { type: 'number', minimum: 0, maximum: 1, default: 0, description: 'shed load (503) when event-loop utilisation (0 to 1) exceeds this; `0` = off' } },
  SHED_DB_WAITING: { section: 'security', schema: int(0, 100_000, 40, 'shed load (503) when this many requests wait for a database connection; `0` = off') },
  SHED_RETRY_AFTER_SECONDS: { section: 'security', schema: int(1, 3_600, 5, 'Retry-After of a shed request') },
  SHED_SAMPLE_INTERVAL_MS: { section: 'security', schema: int(10, 60_000, 500, 'how often event-loop delay and utilisation are sampled') },

  RELAY_ENABLED: { section: 'relay', schema: bool(true, 'run the outbox relay in this process') },
  RELAY_BATCH_SIZE: { section: 'relay', schema: int(1, 5_000, 500, 'messages the outbox relay claims and sends per batch') },
  RELAY_SEND_TIMEOUT_MS: { section: 'relay', schema: int(100, 300_000, 10_000, "the relay's own deadline per batch send") },
  RELAY_POLL_INTERVAL_MS: { section: 'relay', schema: int(10, 60_000, 1_000, 'relay polling fallback when no notification arrives') },
  RELAY_MAX_BACKOFF_MS: { section: 'relay', schema: int(10, 300_000, 30_000, 'longest relay back-off after failed sends') },

  JOBS_ENABLED: { section: 'jobs', schema: bool(true, 'run scheduled jobs in this process (one runner cluster-wide)') },
  JOB_OUTBOX_CLEANUP_CRON: { section: 'jobs', schema: cron('17 * * * *', 'when delivered outbox rows are removed') },
  OUTBOX_RETENTION_HOURS: { section: 'jobs', schema: int(0, 24 * 365, 168, 'age after which delivered outbox rows are removed') },
  JOB_RETENTION_CRON: { section: 'jobs', schema: cron('23 2 * * *', "when personal data past the policy's retention are removed") },
  JOB_AUDIT_VERIFY_CRON: { section: 'jobs', schema: cron('47 3 * * *', "when the processing log's hash chains are verified") },
  JOB_ADVICE_EXPIRY_CRON: { section: 'jobs', schema: cron('7 * * * *', 'when advices past their valid-until are marked expired and each recipient is told') },

  QUALITY_SEVERITIES: {
    section: 'quality',
    schema: {
      type: 'string',
      maxLength: 2000,
      default: '',
      description: 'per quality code `refuse` or `warn`, overriding its default: `GOAL_TOO_BRIEF=refuse,CONCISE_FIELD_TOO_LONG=warn` (codes in `src/quality/criteria.ts`)',
    },
  },

  PSEUDONYM_KEY: { section: 'privacy', secret: true, schema: { type: 'string', minLength: 32, maxLength: 1024, description: 'secret (≥ 32 characters) for keyed pseudonyms, never commit it; required unless `PSEUDONYM_KEY_FILE` or `PSEUDONYM_KEYS_FILE` holds it' } },
  PSEUDONYM_KEY_FILE: { section: 'privacy', schema: file('file holding the pseudonym secret, instead of `PSEUDONYM_KEY`') },
  PSEUDONYM_KEY_ID: { section: 'privacy', schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,32}$', default: 'k1', description: 'id of the current key, part of every pseudonym, for rotation' } },
  PSEUDONYM_KEYS_FILE: {
    section: 'privacy',
    schema: file('several keys, `<id>=<secret>` per line: the current one and earlier ones, kept to find data stored under them (`docs/decisions/0042-pseudonym-keys-and-rotation.md`)'),
  },
  EXCHANGE_POLICY_FILE: {
    section: 'privacy',
    schema: { type: 'string', minLength: 1, maxLength: 4096, default: DEFAULT_POLICY_FILE, description: 'the exchange policy (YAML or JSON); checked at start, a broken one stops the service (exit 78) naming each place' },
  },

  LOG_LEVEL: { section: 'service', schema: { type: 'string', enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], default: 'info', description: 'pino log level' } },
  BRIDGE_OIN: { section: 'service', required: true, schema: { type: 'string', pattern: '^[0-9]{20}$', description: "the operator's OIN (20 digits), used in `ce_source`" } },
};

export interface Config {
  databaseUrl: string;
  pgPoolMax: number;
  pgStatementTimeoutMs: number;
  pgConnectTimeoutMs: number;
  migrateOnStart: boolean;
  kafkaBrokers: string[];
  kafkaClientId: string;
  kafkaTopicPrefix: string;
  kafkaTopicPartitions: number;
  kafkaReplicationFactor: number;
  kafkaRequestTimeoutMs: number;
  inboundEnabled: boolean;
  inboundTopic: string;
  inboundGroupId: string;
  port: number;
  host: string;
  bodyLimitBytes: number;
  batchMaxItems: number;
  batchBodyLimitBytes: number;
  shutdownTimeoutMs: number;
  readyMaxOutboxAgeSeconds: number;
  requestTimeoutMs: number;
  /** Read from TLS_CERT, TLS_KEY, TLS_CA when set. */
  tls: { cert: Buffer; key: Buffer; ca: Buffer | undefined } | undefined;
  /** Read from CLIENTS_FILE; empty when it is not set (then every protected route answers 401). */
  clients: DeclaredClient[];
  clientsFile: string | undefined;
  metricsPublic: boolean;
  rateLimitPerMinute: number;
  shedEventLoopDelayMs: number;
  shedEventLoopUtilization: number;
  shedDbWaiting: number;
  shedRetryAfterSeconds: number;
  shedSampleIntervalMs: number;
  relayEnabled: boolean;
  relayBatchSize: number;
  relaySendTimeoutMs: number;
  relayPollIntervalMs: number;
  relayMaxBackoffMs: number;
  jobsEnabled: boolean;
  jobOutboxCleanupCron: string;
  outboxRetentionHours: number;
  jobAdviceExpiryCron: string;
  qualitySeverities: Severities;
  jobRetentionCron: string;
  jobAuditVerifyCron: string;
  /** The current pseudonym key: from PSEUDONYM_KEY, PSEUDONYM_KEY_FILE or PSEUDONYM_KEYS_FILE. */
  pseudonymKey: string;
  pseudonymKeyId: string;
  /** Earlier keys from PSEUDONYM_KEYS_FILE, held to find data stored under them. */
  pseudonymPreviousKeys: PseudonymKey[];
  exchangePolicyFile: string;
  logLevel: string;
  bridgeOin: string;
}

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

// Environment values are strings: coercion is right here (and only here).
const ajv = new Ajv({ allErrors: true, coerceTypes: true, useDefaults: true, strict: true });

function camel(name: string): string {
  return name.toLowerCase().replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

function compileFor(sections: readonly Section[]) {
  const names = Object.keys(VARIABLES).filter((n) => sections.includes(VARIABLES[n]!.section));
  const properties = Object.fromEntries(names.map((n) => [n, VARIABLES[n]!.schema]));
  const required = names.filter((n) => VARIABLES[n]!.required);
  return ajv.compile({ type: 'object', properties, required });
}

const ALL_SECTIONS: readonly Section[] = ['database', 'kafka', 'http', 'security', 'relay', 'jobs', 'privacy', 'quality', 'service'];

/** Loads and checks the configuration; throws one ConfigError naming every problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, sections: readonly Section[] = ALL_SECTIONS): Config {
  const names = Object.keys(VARIABLES).filter((n) => sections.includes(VARIABLES[n]!.section));
  // Empty strings count as unset, as most deployment tools write them for "no value".
  const input: Record<string, unknown> = {};
  for (const n of names) {
    const v = env[n];
    if (v !== undefined && v !== '') input[n] = v;
  }
  const problems: string[] = [];
  const validate = compileFor(sections);
  if (!validate(input)) {
    for (const e of validate.errors ?? []) {
      const name = e.keyword === 'required' ? String(e.params['missingProperty']) : e.instancePath.slice(1);
      const spec = VARIABLES[name];
      // Never echo a secret's value back into the logs.
      const what = e.keyword === 'required' ? 'is required' : `${e.message ?? 'is invalid'}`;
      problems.push(`${name} ${what}${spec ? ` (${spec.schema.description.replaceAll('`', '')})` : ''}`);
    }
  }
  const previousKeys = sections.includes('privacy') ? resolvePseudonymKeys(input, problems) : [];
  const severities = typeof input['QUALITY_SEVERITIES'] === 'string' ? parseSeverities(input['QUALITY_SEVERITIES'], problems) : {};
  const tls = sections.includes('http') ? readTls(input, problems) : undefined;
  const clients = sections.includes('security') && typeof input['CLIENTS_FILE'] === 'string' ? readClients(input['CLIENTS_FILE'], problems) : [];
  if (problems.length > 0) throw new ConfigError(problems);
  const out: Record<string, unknown> = { tls, clients };
  for (const n of names) if (!n.startsWith('TLS_')) out[camel(n)] = input[n];
  if (sections.includes('privacy')) out['pseudonymPreviousKeys'] = previousKeys;
  if (sections.includes('quality')) out['qualitySeverities'] = severities;
  if (typeof input['KAFKA_BROKERS'] === 'string') out['kafkaBrokers'] = input['KAFKA_BROKERS'].split(',');
  return out as unknown as Config;
}

/** Settles the current key (input.PSEUDONYM_KEY) and returns the earlier ones. */
function resolvePseudonymKeys(input: Record<string, unknown>, problems: string[]): PseudonymKey[] {
  const keyId = typeof input['PSEUDONYM_KEY_ID'] === 'string' ? input['PSEUDONYM_KEY_ID'] : 'k1';
  let held: PseudonymKey[] = [];
  const keysFile = input['PSEUDONYM_KEYS_FILE'];
  if (typeof keysFile === 'string') {
    try {
      const parsed = parseKeyFile(readFileSync(keysFile, 'utf8'));
      problems.push(...parsed.problems);
      held = parsed.keys;
    } catch {
      problems.push('PSEUDONYM_KEYS_FILE cannot be read');
    }
  }
  const file = input['PSEUDONYM_KEY_FILE'];
  if (input['PSEUDONYM_KEY'] === undefined && typeof file === 'string') {
    try {
      const key = readFileSync(file, 'utf8').trim();
      if (key.length < 32) problems.push('PSEUDONYM_KEY_FILE must hold a secret of at least 32 characters');
      else input['PSEUDONYM_KEY'] = key;
    } catch {
      problems.push('PSEUDONYM_KEY_FILE cannot be read');
    }
  }
  const fromFile = held.find((k) => k.id === keyId);
  if (input['PSEUDONYM_KEY'] === undefined && fromFile) input['PSEUDONYM_KEY'] = fromFile.secret;
  else if (fromFile && fromFile.secret !== input['PSEUDONYM_KEY']) problems.push(`PSEUDONYM_KEYS_FILE holds another secret for key ${keyId} than PSEUDONYM_KEY(_FILE)`);
  if (input['PSEUDONYM_KEY'] === undefined && !problems.some((p) => p.startsWith('PSEUDONYM_KEY'))) {
    problems.push(typeof keysFile === 'string'
      ? `PSEUDONYM_KEY_ID ${keyId} names no key in PSEUDONYM_KEYS_FILE, and PSEUDONYM_KEY is not set`
      : 'PSEUDONYM_KEY or PSEUDONYM_KEY_FILE is required (secret for keyed pseudonyms)');
  }
  return held.filter((k) => k.id !== keyId);
}

function readClients(path: string, problems: string[]): DeclaredClient[] {
  const read = readClientsFile(path);
  problems.push(...read.problems);
  return read.clients;
}

function readTls(input: Record<string, unknown>, problems: string[]): Config['tls'] {
  const [cert, key, ca] = (['TLS_CERT', 'TLS_KEY', 'TLS_CA'] as const).map((name) => {
    const path = input[name];
    if (typeof path !== 'string') return undefined;
    try {
      return readFileSync(path);
    } catch {
      problems.push(`${name} cannot be read`);
      return undefined;
    }
  });
  if (cert === undefined && key === undefined && ca === undefined) return undefined;
  if (!cert || !key) {
    problems.push('TLS_CERT and TLS_KEY go together (TLS_CA, for client certificates, needs both)');
    return undefined;
  }
  return { cert, key, ca };
}
