// Every environment variable of the service: its JSON Schema, its section and its description. config.ts checks
// the environment against these; config-table.ts writes the README's table from them.
import { DEFAULT_REGISTER_URL } from './exchange/activity-register.ts';
import { DEFAULT_POLICY_FILE } from './exchange/policy-load.ts';

export type Section = 'database' | 'kafka' | 'http' | 'security' | 'relay' | 'jobs' | 'privacy' | 'quality' | 'service';

export interface VarSpec {
  section: Section;
  /** The variable's JSON Schema; its `description` and `default` also make the README's configuration table. */
  schema: { description: string; default?: unknown } & Record<string, unknown>;
  required?: boolean;
  secret?: boolean;
}

const int = (minimum: number, maximum: number, defaultValue: number, description: string) => ({
  type: 'integer',
  minimum,
  maximum,
  default: defaultValue,
  description,
});
const bool = (defaultValue: boolean, description: string) => ({ type: 'boolean', default: defaultValue, description });
const file = (description: string) => ({ type: 'string', minLength: 1, maxLength: 4096, description });
const cron = (defaultValue: string, description: string) => ({ type: 'string', pattern: '^[0-9*/,\\- ]{9,100}$', default: defaultValue, description });

// The one schema. Keys are environment variable names; `section` lets a command (migrate) load only what it needs.
// Descriptions are Markdown (README.md's table is written from them by `npm run docs:config`) and also name the
// variable's purpose in a configuration error.
export const VARIABLES: Record<string, VarSpec> = {
  DATABASE_URL: {
    section: 'database',
    required: true,
    secret: true,
    schema: { type: 'string', pattern: '^postgres(ql)?://', description: 'PostgreSQL connection URL' },
  },
  PG_POOL_MAX: { section: 'database', schema: int(1, 200, 10, 'connections in the database pool') },
  PG_STATEMENT_TIMEOUT_MS: { section: 'database', schema: int(100, 600_000, 15_000, "server-side statement timeout of the pool's connections") },
  PG_CONNECT_TIMEOUT_MS: { section: 'database', schema: int(100, 60_000, 3_000, 'how long to wait for a database connection') },
  PG_OUTCOME_WAIT_MS: {
    section: 'database',
    schema: int(
      0,
      60_000,
      5_000,
      'when the connection is lost during a commit, how long a request waits for the database to answer again and find out whether it was stored (then 503 `BRIDGE_OUTCOME_UNKNOWN`)',
    ),
  },
  MIGRATE_ON_START: { section: 'database', schema: bool(false, 'apply pending migrations at start') },

  KAFKA_BROKERS: {
    section: 'kafka',
    required: true,
    schema: { type: 'string', pattern: '^[A-Za-z0-9.-]+:[0-9]{1,5}(,[A-Za-z0-9.-]+:[0-9]{1,5})*$', description: '`host:port[,host:port...]`' },
  },
  KAFKA_CLIENT_ID: {
    section: 'kafka',
    schema: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,100}$', default: 'gcos-zsm-bridge', description: 'Kafka client id' },
  },
  KAFKA_TOPIC_PREFIX: {
    section: 'kafka',
    schema: { type: 'string', pattern: '^[A-Za-z0-9._-]{0,60}$', default: '', description: 'a prefix for every topic (environments, tests)' },
  },
  KAFKA_TOPIC_PARTITIONS: { section: 'kafka', schema: int(1, 1000, 3, 'partitions of topics the bridge creates') },
  KAFKA_REPLICATION_FACTOR: { section: 'kafka', schema: int(1, 10, 1, 'replication factor of topics the bridge creates (use 3 replicas in production)') },
  INBOUND_ENABLED: { section: 'kafka', schema: bool(true, 'consume ZSM case events from the inbound topic in this process') },
  INBOUND_TOPIC: {
    section: 'kafka',
    schema: {
      type: 'string',
      pattern: '^[A-Za-z0-9._-]{1,200}$',
      default: 'zsm.case-events.v1',
      description: 'the inbound topic of ZSM case events (`KAFKA_TOPIC_PREFIX` is put in front)',
    },
  },
  INBOUND_GROUP_ID: {
    section: 'kafka',
    schema: {
      type: 'string',
      pattern: '^[A-Za-z0-9._-]{1,200}$',
      default: 'gcos-zsm-bridge-inbound',
      description: 'consumer group of the inbound topic (shared by all replicas)',
    },
  },
  KAFKA_REQUEST_TIMEOUT_MS: { section: 'kafka', schema: int(500, 120_000, 5_000, 'how long the Kafka client waits for the broker to answer a request') },

  PORT: { section: 'http', schema: int(0, 65_535, 8080, 'HTTP port') },
  HOST: { section: 'http', schema: { type: 'string', minLength: 1, maxLength: 255, default: '0.0.0.0', description: 'HTTP bind address' } },
  BODY_LIMIT_BYTES: { section: 'http', schema: int(1024, 10 * 1024 * 1024, 262_144, 'largest request body') },
  BATCH_MAX_ITEMS: { section: 'http', schema: int(1, 1_000, 100, 'most advices in one `POST /v1/advice-batches`') },
  BATCH_BODY_LIMIT_BYTES: { section: 'http', schema: int(1024, 64 * 1024 * 1024, 4 * 1024 * 1024, 'largest body of one `POST /v1/advice-batches`') },
  SHUTDOWN_TIMEOUT_MS: {
    section: 'http',
    schema: int(100, 120_000, 10_000, 'the whole grace period at shutdown (SIGTERM), the drain included; past it the process exits 1'),
  },
  SHUTDOWN_DRAIN_MS: {
    section: 'http',
    schema: int(
      0,
      60_000,
      5_000,
      'after SIGTERM, how long readiness fails while requests are still served, for the load balancer to notice; at least the keep-alive timeout (5 s), so idle connections have closed by then',
    ),
  },
  REQUEST_TIMEOUT_MS: { section: 'http', schema: int(1_000, 600_000, 30_000, 'longest time to receive a whole request (slow clients are cut off)') },
  TLS_CERT: { section: 'http', schema: file('PEM certificate (chain) file: with `TLS_KEY` the bridge serves HTTPS') },
  TLS_KEY: { section: 'http', schema: file('PEM private key file of `TLS_CERT`') },
  TLS_CA: {
    section: 'http',
    schema: file('PEM file of the authorities whose client certificates are trusted: with it, mutual TLS (the bridge asks for a client certificate)'),
  },
  READY_MAX_OUTBOX_AGE_SECONDS: { section: 'http', schema: int(1, 86_400 * 7, 300, 'readiness fails when the oldest undelivered message is older') },

  CLIENTS_FILE: { section: 'security', schema: file('JSON or YAML file declaring the clients (see Clients); without it every protected route answers 401') },
  METRICS_PUBLIC: { section: 'security', schema: bool(false, 'serve `/metrics` without credentials (otherwise it needs the `ops` role)') },
  RATE_LIMIT_PER_MINUTE: {
    section: 'security',
    schema: int(0, 1_000_000, 600, 'requests per minute per client and replica (a client may declare its own); `0` = off'),
  },
  SHED_EVENT_LOOP_DELAY_MS: { section: 'security', schema: int(0, 60_000, 200, 'shed load (503) when the mean event-loop delay exceeds this; `0` = off') },
  SHED_EVENT_LOOP_UTILIZATION: {
    section: 'security',
    schema: { type: 'number', minimum: 0, maximum: 1, default: 0, description: 'shed load (503) when event-loop utilisation (0 to 1) exceeds this; `0` = off' },
  },
  SHED_DB_WAITING: { section: 'security', schema: int(0, 100_000, 40, 'shed load (503) when this many requests wait for a database connection; `0` = off') },
  SHED_RETRY_AFTER_SECONDS: { section: 'security', schema: int(1, 3_600, 5, 'Retry-After of a shed request') },
  SHED_SAMPLE_INTERVAL_MS: { section: 'security', schema: int(10, 60_000, 500, 'how often event-loop delay and utilisation are sampled') },

  FEED_MAX_WAIT_SECONDS: { section: 'http', schema: int(0, 300, 30, 'longest a pull-feed request may wait for events (`wait`)') },
  FEED_MAX_LIMIT: { section: 'http', schema: int(1, 5_000, 500, 'most events one pull-feed page may ask for (`limit`)') },
  FEED_FANOUT_PAGES_PER_SECOND: {
    section: 'http',
    schema: int(
      1,
      100_000,
      50,
      "pages per second one recipient's pull-feed clients get together, per process, when more than one reads it; a single client is not held back",
    ),
  },
  FEED_MAX_WAITING: { section: 'http', schema: int(1, 100_000, 500, 'pull-feed requests that may wait at once per process; more get 503 with Retry-After') },

  RELAY_ENABLED: { section: 'relay', schema: bool(true, 'run the outbox relay in this process') },
  RELAY_BATCH_SIZE: { section: 'relay', schema: int(1, 5_000, 500, 'messages the outbox relay claims and sends per batch') },
  RELAY_SEND_TIMEOUT_MS: { section: 'relay', schema: int(100, 300_000, 10_000, "the relay's own deadline per batch send") },
  RELAY_POLL_INTERVAL_MS: { section: 'relay', schema: int(10, 60_000, 1_000, 'relay polling fallback when no notification arrives') },
  RELAY_MAX_BACKOFF_MS: { section: 'relay', schema: int(10, 300_000, 30_000, 'longest relay back-off after failed sends') },

  WEBHOOK_ENABLED: { section: 'relay', schema: bool(true, 'deliver webhook subscriptions from this process (each subscription on one replica)') },
  WEBHOOK_TIMEOUT_MS: { section: 'relay', schema: int(100, 120_000, 10_000, 'one webhook attempt: connect, send and answer within this') },
  WEBHOOK_BACKOFF_MIN_MS: { section: 'relay', schema: int(10, 600_000, 1_000, 'first wait after a failed webhook attempt; doubles per attempt, with jitter') },
  WEBHOOK_BACKOFF_MAX_MS: { section: 'relay', schema: int(10, 3_600_000, 300_000, 'longest wait between two webhook attempts') },
  WEBHOOK_DELIVERY_DEADLINE_MS: {
    section: 'relay',
    schema: int(
      1_000,
      30 * 86_400_000,
      86_400_000,
      "how long after its commit an event is still tried before it goes to the subscription's dead letters; keep it well below `OUTBOX_RETENTION_HOURS`",
    ),
  },
  WEBHOOK_POLL_INTERVAL_MS: { section: 'relay', schema: int(10, 60_000, 1_000, 'webhook polling fallback when no notification arrives') },
  WEBHOOK_ALLOWED_NETWORKS: {
    section: 'relay',
    schema: {
      type: 'string',
      maxLength: 2000,
      pattern: '^([0-9a-fA-F.:]+(/[0-9]{1,3})?(, *[0-9a-fA-F.:]+(/[0-9]{1,3})?)*)?$',
      default: '',
      description: 'private or link-local networks webhooks may reach anyway, CIDR, comma-separated (`10.20.0.0/16`); loopback needs a loopback URL instead',
    },
  },
  WEBHOOK_SECRET_KEY: {
    section: 'relay',
    secret: true,
    schema: {
      type: 'string',
      minLength: 32,
      maxLength: 1024,
      description: "key (≥ 32 characters) that seals the subscriptions' signing secrets in the database; without it one is derived from the pseudonym key",
    },
  },
  WEBHOOK_SUBSCRIPTIONS_FILE: {
    section: 'relay',
    schema: file('webhook subscriptions declared in configuration (JSON or YAML, `docs/consuming.md`); their secrets come from files or variables it names'),
  },

  JOBS_ENABLED: { section: 'jobs', schema: bool(true, 'run scheduled jobs in this process (one runner cluster-wide)') },
  JOB_OUTBOX_CLEANUP_CRON: { section: 'jobs', schema: cron('17 * * * *', 'when delivered outbox rows are removed') },
  OUTBOX_RETENTION_HOURS: { section: 'jobs', schema: int(0, 24 * 365, 168, 'age after which delivered outbox rows are removed') },
  FEED_WINDOW_DAYS: {
    section: 'jobs',
    schema: int(
      0,
      365,
      14,
      'days a recipient can read its events from the pull feed; the outbox clean-up keeps delivered rows at least this long. 0 where no recipient reads the feed: the outbox then keeps personal data only for `OUTBOX_RETENTION_HOURS`, and the feed holds what that keeps',
    ),
  },
  JOB_RETENTION_CRON: { section: 'jobs', schema: cron('23 2 * * *', "when personal data past the policy's retention are removed") },
  JOB_AUDIT_VERIFY_CRON: { section: 'jobs', schema: cron('47 3 * * *', "when the processing log's hash chains are verified") },
  JOB_ADVICE_EXPIRY_CRON: { section: 'jobs', schema: cron('7 * * * *', 'when advices past their valid-until are marked expired and each recipient is told') },

  QUALITY_SEVERITIES: {
    section: 'quality',
    schema: {
      type: 'string',
      maxLength: 2000,
      default: '',
      description:
        'per quality code `refuse` or `warn`, overriding its default: `GOAL_TOO_BRIEF=refuse,CONCISE_FIELD_TOO_LONG=warn` (codes in `src/quality/criteria.ts`)',
    },
  },

  PSEUDONYM_KEY: {
    section: 'privacy',
    secret: true,
    schema: {
      type: 'string',
      minLength: 32,
      maxLength: 1024,
      description: 'secret (≥ 32 characters) for keyed pseudonyms, never commit it; required unless `PSEUDONYM_KEY_FILE` or `PSEUDONYM_KEYS_FILE` holds it',
    },
  },
  PSEUDONYM_KEY_FILE: { section: 'privacy', schema: file('file holding the pseudonym secret, instead of `PSEUDONYM_KEY`') },
  PSEUDONYM_KEY_ID: {
    section: 'privacy',
    schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,32}$', default: 'k1', description: 'id of the current key, part of every pseudonym, for rotation' },
  },
  PSEUDONYM_KEYS_FILE: {
    section: 'privacy',
    schema: file(
      'several keys, `<id>=<secret>` per line: the current one and earlier ones, kept to find data stored under them (`docs/decisions/0042-pseudonym-keys-and-rotation.md`)',
    ),
  },
  EXCHANGE_POLICY_FILE: {
    section: 'privacy',
    schema: {
      type: 'string',
      minLength: 1,
      maxLength: 4096,
      default: DEFAULT_POLICY_FILE,
      description: 'the exchange policy (YAML or JSON); checked at start, a broken one stops the service (exit 78) naming each place',
    },
  },

  DURABILITY_CHECKS: {
    section: 'service',
    schema: {
      type: 'string',
      enum: ['strict', 'warn'],
      default: 'strict',
      description:
        'what a PostgreSQL or Kafka setting that breaks a guarantee does (`synchronous_commit=off`, `min.insync.replicas` below 2 on a cluster): `strict` stops the start (exit 78) or fails readiness; `warn` only logs it, a risk accepted on purpose (decision 0107)',
    },
  },
  LOG_LEVEL: {
    section: 'service',
    schema: { type: 'string', enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], default: 'info', description: 'pino log level' },
  },
  BRIDGE_OIN: {
    section: 'service',
    required: true,
    schema: { type: 'string', pattern: '^[0-9]{20}$', description: "the operator's OIN (20 digits), used in `ce_source`" },
  },
  PUBLIC_BASE_URL: {
    section: 'service',
    schema: {
      type: 'string',
      pattern: '^https?://[^/?#\\s]+$',
      maxLength: 255,
      default: 'http://localhost:8080',
      description:
        'where recipients reach the bridge (scheme and host, no path): the base of `ce_dataschema`, which points to `GET /v1/schemas/{topic}/{type}`',
    },
  },
  OTEL_EXPORTER_OTLP_ENDPOINT: {
    section: 'service',
    schema: {
      type: 'string',
      pattern: '^https?://[^\\s]+$',
      maxLength: 1024,
      description:
        'the OpenTelemetry collector (OTLP/HTTP, spans to `<endpoint>/v1/traces`): set, every request, record and Kafka message is traced after the Logboek Dataverwerkingen standard (`docs/standards.md`); unset, nothing is traced',
    },
  },
  OTEL_SERVICE_NAME: {
    section: 'service',
    schema: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,100}$', default: 'gcos-zsm-bridge', description: "the traces' `service.name`" },
  },
  PROCESSING_ACTIVITY_REGISTER_URL: {
    section: 'privacy',
    schema: {
      type: 'string',
      pattern: '^https?://[^?#\\s]+/$',
      maxLength: 1024,
      default: DEFAULT_REGISTER_URL,
      description:
        "where the operator publishes the register of processing activities (`policies/processing-activities.json`), ending in `/`: the base of every span's `dpl.core.processing_activity_id`",
    },
  },
};
