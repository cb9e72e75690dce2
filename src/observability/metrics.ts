// Prometheus metrics, one registry per process (tests build several apps, each with its own).
import { X509Certificate } from 'node:crypto';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Keeps a label's values bounded: the first `max` distinct values are themselves, any later one is 'other'.
 * The issuer OIN comes from the request body; without a bound a client could create series without end. */
export function boundedLabel(max: number): (value: string) => string {
  const seen = new Set<string>();
  return (value) => {
    if (seen.has(value)) return value;
    if (seen.size >= max) return 'other';
    seen.add(value);
    return value;
  };
}

/** When the certificate the bridge serves HTTPS with stops being valid, in Unix seconds: the first certificate of
 * the PEM chain (the server's own). Undefined when it cannot be read: the HTTPS server's start reports that. */
export function certificateNotAfterSeconds(pem: Buffer): number | undefined {
  try {
    return Math.floor(Date.parse(new X509Certificate(pem).validTo) / 1000);
  } catch {
    return undefined;
  }
}

export interface MetricsOptions {
  /** The PEM the bridge serves HTTPS with (TLS_CERT), when TLS ends at the bridge: its expiry becomes a gauge. */
  tlsCertificate?: Buffer | undefined;
}

export function createMetrics(options: MetricsOptions = {}) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const r = [registry];
  const notAfter = options.tlsCertificate ? certificateNotAfterSeconds(options.tlsCertificate) : undefined;
  if (notAfter !== undefined) {
    // Read once: the certificate is loaded at start, and a new one needs a restart to be served.
    new Gauge({
      name: 'bridge_tls_certificate_expiry_timestamp_seconds',
      help: 'When the certificate the bridge serves HTTPS with expires (Unix seconds); absent without TLS_CERT',
      registers: r,
    }).set(notAfter);
  }
  return {
    registry,
    httpRequests: new Counter({
      name: 'bridge_http_requests_total',
      help: 'HTTP requests by route, method and status',
      labelNames: ['route', 'method', 'status'],
      registers: r,
    }),
    feedRequests: new Counter({
      name: 'bridge_feed_requests_total',
      help: 'Pull-feed requests by recipient and outcome (events, empty, gone)',
      labelNames: ['recipient', 'outcome'],
      registers: r,
    }),
    feedEvents: new Counter({
      name: 'bridge_feed_events_served_total',
      help: 'Events handed out through the pull feed, by recipient',
      labelNames: ['recipient'],
      registers: r,
    }),
    feedWaiting: new Gauge({
      name: 'bridge_feed_waiting_clients',
      help: 'Pull-feed requests waiting (long polling) for new events in this process',
      registers: r,
    }),
    replayedEvents: new Counter({
      name: 'bridge_replayed_events_total',
      help: "Events of a recipient sent again at a privacy officer's request, by destination",
      labelNames: ['destination'],
      registers: r,
    }),
    httpDuration: new Histogram({
      name: 'bridge_http_request_duration_seconds',
      help: 'HTTP request duration by route',
      labelNames: ['route', 'method'],
      registers: r,
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    }),
    requestsShed: new Counter({
      name: 'bridge_http_requests_shed_total',
      help: 'Requests refused with 503 to shed load, by the check that tripped',
      labelNames: ['reason'],
      registers: r,
    }),
    recordsAccepted: new Counter({ name: 'bridge_records_accepted_total', help: 'Records accepted and stored, by kind', labelNames: ['kind'], registers: r }),
    recordsReplayed: new Counter({
      name: 'bridge_records_replayed_total',
      help: 'Identical re-submissions answered with the original receipt',
      labelNames: ['kind'],
      registers: r,
    }),
    recordsRefused: new Counter({
      name: 'bridge_records_refused_total',
      help: 'Records refused, by kind and error code',
      labelNames: ['kind', 'code'],
      registers: r,
    }),
    relaySent: new Counter({ name: 'bridge_relay_messages_sent_total', help: 'Messages acknowledged by Kafka', registers: r }),
    relayFailures: new Counter({
      name: 'bridge_relay_send_failures_total',
      help: 'Failed batch sends, by kind of failure',
      labelNames: ['reason'],
      registers: r,
    }),
    relayLatency: new Histogram({
      name: 'bridge_relay_send_duration_seconds',
      help: 'Duration of one batch send until acknowledgement',
      registers: r,
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    }),
    relayOwnedSlots: new Gauge({ name: 'bridge_relay_owned_slots', help: 'Outbox slots this replica relays', registers: r }),
    outboxPending: new Gauge({ name: 'bridge_outbox_pending', help: 'Outbox messages not yet acknowledged by Kafka', registers: r }),
    outboxOldestAge: new Gauge({ name: 'bridge_outbox_oldest_age_seconds', help: 'Age of the oldest undelivered outbox message', registers: r }),
    inboundMessages: new Counter({
      name: 'bridge_inbound_messages_total',
      help: 'Messages taken from the inbound topic, by outcome',
      labelNames: ['outcome'],
      registers: r,
    }),
    inboundRestarts: new Counter({
      name: 'bridge_inbound_consumer_restarts_total',
      help: 'Times the inbound consumer stopped on an error kafkajs does not restart from, and was started again',
      registers: r,
    }),
    caseEventsUnroutable: new Counter({
      name: 'bridge_case_events_unroutable_total',
      help: 'Case events whose municipality no Veiligheidshuis region covers, by path (rest, kafka)',
      labelNames: ['path'],
      registers: r,
    }),
    knownPersonLookups: new Counter({
      name: 'bridge_known_person_lookups_total',
      help: 'Known-person lookups, by result',
      labelNames: ['result'],
      registers: r,
    }),
    inboundQuarantined: new Counter({
      name: 'bridge_inbound_quarantined_total',
      help: 'Inbound messages quarantined, by reason (problem code)',
      labelNames: ['reason'],
      registers: r,
    }),
    jobRuns: new Counter({ name: 'bridge_job_runs_total', help: 'Scheduled job runs by job and result', labelNames: ['job', 'status'], registers: r }),
    // Quality dashboard: per Veiligheidshuis (issuer OIN, at most 64 distinct, then 'other'), how often each
    // criterion is met, warned or refused, and which findings cause it.
    qualityCriteria: new Counter({
      name: 'bridge_quality_criteria_total',
      help: 'Advices judged, by quality criterion, outcome (met, warning, refused) and issuing Veiligheidshuis (OIN)',
      labelNames: ['criterion', 'outcome', 'issuer'],
      registers: r,
    }),
    qualityFindings: new Counter({
      name: 'bridge_quality_findings_total',
      help: 'Quality findings, by criterion, code, severity and issuing Veiligheidshuis (OIN)',
      labelNames: ['criterion', 'code', 'severity', 'issuer'],
      registers: r,
    }),
    settingsFindings: new Gauge({
      name: 'bridge_settings_findings',
      help: 'Findings of the durability check of PostgreSQL and Kafka settings (decision 0107), by check and severity (refuse, warn, info)',
      labelNames: ['check', 'severity'],
      registers: r,
    }),
    // Webhook push (decision 0111); the subscription label is the subscription's id, as many as there are
    // subscriptions, which only the privacy officer creates.
    webhookAttempts: new Counter({
      name: 'bridge_webhook_attempts_total',
      help: 'Webhook attempts by outcome: delivered, status, redirect, timeout, network, refused-address',
      labelNames: ['outcome'],
      registers: r,
    }),
    webhookDeliveries: new Counter({
      name: 'bridge_webhook_deliveries_total',
      help: 'Webhook events settled, by outcome: delivered, dead-letter, redelivered',
      labelNames: ['outcome'],
      registers: r,
    }),
    webhookOpenDeadLetters: new Gauge({
      name: 'bridge_webhook_dead_letters',
      help: "Dead letters held per subscription (this replica's subscriptions)",
      labelNames: ['subscription'],
      registers: r,
    }),
    webhookLag: new Gauge({
      name: 'bridge_webhook_lag_seconds',
      help: 'Age of the event a subscription is delivering; 0 when it is caught up',
      labelNames: ['subscription'],
      registers: r,
    }),
    issuerLabel: boundedLabel(64),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
