// Configuration: read from the environment once at start and checked against one JSON Schema.
// Every problem is reported in one message so an operator fixes them in one round.
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { readClientsFile, type DeclaredClient } from './auth/clients.ts';
import { parseSeverities, type Severities } from './quality/severity.ts';
import { parseKeyFile } from './privacy/key-file.ts';
import type { PseudonymKey } from './privacy/pseudonym.ts';
import { VARIABLES, type Section } from './config-variables.ts';

export interface Config {
  databaseUrl: string;
  pgPoolMax: number;
  pgStatementTimeoutMs: number;
  pgConnectTimeoutMs: number;
  pgOutcomeWaitMs: number;
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
  shutdownDrainMs: number;
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
  webhookEnabled: boolean;
  webhookTimeoutMs: number;
  webhookBackoffMinMs: number;
  webhookBackoffMaxMs: number;
  webhookDeliveryDeadlineMs: number;
  webhookPollIntervalMs: number;
  /** CIDR networks, comma-separated (src/webhook/address-guard.ts). */
  webhookAllowedNetworks: string;
  webhookSecretKey?: string;
  webhookSubscriptionsFile?: string;
  jobsEnabled: boolean;
  jobOutboxCleanupCron: string;
  outboxRetentionHours: number;
  feedWindowDays: number;
  feedMaxWaitSeconds: number;
  feedMaxLimit: number;
  feedMaxWaiting: number;
  feedFanoutPagesPerSecond: number;
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
  /** DURABILITY_CHECKS: whether a setting that breaks a guarantee refuses (strict) or only warns. */
  durabilityChecks: 'strict' | 'warn';
  bridgeOin: string;
  /** Scheme and host recipients reach the bridge at: the base of every message's `dataschema`. */
  publicBaseUrl: string;
  /** OTEL_EXPORTER_OTLP_ENDPOINT: tracing is on only when it is set. */
  otelExporterOtlpEndpoint: string | undefined;
  otelServiceName: string;
  /** The base of every processing activity's URI (policies/processing-activities.json). */
  processingActivityRegisterUrl: string;
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
  if (sections.includes('http') && Number(input['SHUTDOWN_DRAIN_MS']) >= Number(input['SHUTDOWN_TIMEOUT_MS'])) {
    problems.push('SHUTDOWN_DRAIN_MS must be shorter than SHUTDOWN_TIMEOUT_MS: the drain is part of the grace period, which must leave time to finish');
  }
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
  else if (fromFile && fromFile.secret !== input['PSEUDONYM_KEY'])
    problems.push(`PSEUDONYM_KEYS_FILE holds another secret for key ${keyId} than PSEUDONYM_KEY(_FILE)`);
  if (input['PSEUDONYM_KEY'] === undefined && !problems.some((p) => p.startsWith('PSEUDONYM_KEY'))) {
    problems.push(
      typeof keysFile === 'string'
        ? `PSEUDONYM_KEY_ID ${keyId} names no key in PSEUDONYM_KEYS_FILE, and PSEUDONYM_KEY is not set`
        : 'PSEUDONYM_KEY or PSEUDONYM_KEY_FILE is required (secret for keyed pseudonyms)',
    );
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
