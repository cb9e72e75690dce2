// The system under test, all owned by the harness: PostgreSQL, a Kafka broker behind the TCP proxy, and bridge
// replicas (src/server.ts) on one database and broker. One destroy() ends every process and removes every folder.
// The production topology (`topology: true`): three Kafka nodes (chaos/kafka-cluster.ts, replication factor 3,
// min.insync.replicas 2), PostgreSQL with fsync on and a streaming standby, reached through one address (a TCP
// proxy standing in for the Patroni or CloudNativePG service), and the inbound consumer of case events on.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { createDatabase } from '../harness/database.ts';
import { adminQuery } from '../harness/pg-admin.ts';
import { freePort } from '../harness/ports.ts';
import { keepFolder, killEverything, ownFolder, releaseFolder, sleep } from '../harness/processes.ts';
import { writeTestClients } from '../test/support/clients.ts';
import { KafkaNodes } from './kafka-cluster.ts';
import { OwnedBroker } from './owned-broker.ts';
import { OwnedPostgres } from './owned-postgres.ts';
import { Replica } from './replica.ts';
import { TcpProxy } from './tcp-proxy.ts';

export interface ClusterOptions {
  replicas: number;
  /** Extra environment for every replica (shedding, rate limits for the overload scenario). */
  env?: Record<string, string>;
  /** Three Kafka nodes, PostgreSQL primary and standby behind one address, case events on the inbound topic. */
  topology?: boolean;
}

export interface FailoverTimes {
  /** From the primary's SIGKILL until the standby took writes. */
  promotedMs: number;
  /** From the SIGKILL until the database address pointed at the new primary. */
  switchedMs: number;
}

export class Cluster {
  readonly runId = `c${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  readonly topicPrefix = `chaos-${this.runId}.`;
  replicas: Replica[] = [];
  postgres!: OwnedPostgres;
  broker!: OwnedBroker;
  proxy!: TcpProxy;
  /** The topology's three Kafka nodes (broker and proxy are then its first node and that node's proxy). */
  kafka: KafkaNodes | undefined;
  /** The topology's standby, and the one address of the database (the service that follows the primary). */
  standby: OwnedPostgres | undefined;
  dbProxy: TcpProxy | undefined;
  token = '';
  /** A privacy officer's token: the webhook scenario subscribes its receivers with it. */
  privacyToken = '';
  private dir = '';
  private env: NodeJS.ProcessEnv = {};
  private removeClients: () => void = () => undefined;

  get databaseUrl(): string {
    return this.dbProxy ? `postgres://postgres@127.0.0.1:${this.dbProxy.port}/bridge` : this.postgres.url('bridge');
  }

  /** What clients of the broker use: the proxy (one per node in the topology). */
  get brokers(): string {
    return this.kafka ? this.kafka.brokers : `127.0.0.1:${this.proxy.port}`;
  }

  /** The inbound topic of case events (consumed by the replicas in the topology). */
  get inboundTopic(): string | undefined {
    return this.topology ? `${this.topicPrefix}zsm.case-events.v1` : undefined;
  }

  private topology = false;

  /** Replicas that run now, as a load balancer's targets: those whose readiness passed at the last probe, or, when
   * none did (a shared dependency down), every running one, as a load balancer fails open. Without the probe a
   * replica that stops would get new connections until its listener closes, which no deployment does. Failing
   * open, it still leaves out a replica being stopped, as long as another runs: the orchestrator that sends the
   * SIGTERM deregisters the target (an ALB's deregistration, a Kubernetes endpoint marked terminating), so it gets
   * no new connections while it drains. Before this, with the broker frozen (every replica unready), a connection
   * made to the stopping replica just as its listener closed was reset in the accept queue. */
  targets(): string[] {
    const running = this.replicas.filter((r) => r.running);
    const ready = running.filter((r) => !this.notReady.has(r));
    if (ready.length > 0) return ready.map((r) => r.base);
    const staying = running.filter((r) => !r.stopping);
    return (staying.length > 0 ? staying : running).map((r) => r.base);
  }

  private notReady = new Set<Replica>();
  private probing: NodeJS.Timeout | undefined;

  /** The load balancer's health check: readiness of every running replica, a few times a second. */
  private probeReadiness(): void {
    const probe = async (r: Replica) => {
      const ok = await fetch(`${r.base}/health/ready`, { signal: AbortSignal.timeout(1_000) }).then(
        (res) => res.ok,
        () => false,
      );
      if (ok) this.notReady.delete(r);
      else this.notReady.add(r);
    };
    let busy = false;
    this.probing = setInterval(() => {
      if (busy) return;
      busy = true;
      void Promise.all(this.replicas.filter((r) => r.running).map(probe)).finally(() => (busy = false));
    }, 250);
    this.probing.unref();
  }

  static async start(options: ClusterOptions): Promise<Cluster> {
    const c = new Cluster();
    try {
      await c.boot(options);
      return c;
    } catch (err) {
      await c.destroy();
      throw err;
    }
  }

  private async boot(options: ClusterOptions): Promise<void> {
    this.dir = ownFolder(mkdtempSync(join(tmpdir(), 'chaos-run-')));
    this.topology = options.topology === true;
    this.postgres = await OwnedPostgres.create({ fsync: this.topology });
    if (this.topology) {
      this.kafka = await KafkaNodes.create(3);
      this.broker = this.kafka.nodes[0]!;
      this.proxy = this.kafka.proxies[0]!;
      await Promise.all([this.startDatabase(), this.kafka.start()]);
      this.dbProxy = await TcpProxy.listen({ host: '127.0.0.1', port: this.postgres.port });
      await this.rebuildStandby();
      await this.setSynchronous(true);
    } else {
      const proxyPort = await freePort();
      this.broker = await OwnedBroker.create(proxyPort);
      this.proxy = await TcpProxy.listen({ host: '127.0.0.1', port: this.broker.port }, proxyPort);
      await Promise.all([this.startDatabase(), this.broker.start()]);
    }
    const clients = await writeTestClients();
    this.removeClients = clients.remove;
    this.token = clients.tokens.gcos;
    this.privacyToken = clients.tokens.privacy;
    const env: NodeJS.ProcessEnv = {
      DATABASE_URL: this.databaseUrl,
      KAFKA_BROKERS: this.brokers,
      KAFKA_TOPIC_PREFIX: this.topicPrefix,
      // The replicas of this cluster share a group, as one deployment's do; other bridges on the broker do not.
      INBOUND_GROUP_ID: `${this.topicPrefix}inbound`,
      KAFKA_TOPIC_PARTITIONS: '3',
      BRIDGE_OIN: '00000009999999999000',
      PSEUDONYM_KEY: 'chaos-only-pseudonym-secret-0123456789abcdef',
      LOG_LEVEL: 'info',
      CLIENTS_FILE: clients.path,
      METRICS_PUBLIC: 'true',
      // The scenarios are about faults, not abuse limits: off here, on in the overload scenario.
      RATE_LIMIT_PER_MINUTE: '0',
      SHED_EVENT_LOOP_DELAY_MS: '0',
      SHED_DB_WAITING: '0',
      JOBS_ENABLED: 'false',
      INBOUND_ENABLED: String(this.topology),
      KAFKA_REPLICATION_FACTOR: this.topology ? '3' : '1',
      PG_POOL_MAX: '5',
      PG_CONNECT_TIMEOUT_MS: '1000',
      RELAY_POLL_INTERVAL_MS: '250',
      RELAY_SEND_TIMEOUT_MS: '5000',
      RELAY_MAX_BACKOFF_MS: '2000',
      SHUTDOWN_TIMEOUT_MS: '10000', // the default grace, the drain (SHUTDOWN_DRAIN_MS, 5 s) included
      // Webhook receivers that come back are tried again within seconds, not the production ceiling of minutes.
      WEBHOOK_BACKOFF_MIN_MS: '200',
      WEBHOOK_BACKOFF_MAX_MS: '5000',
      WEBHOOK_TIMEOUT_MS: '3000',
      WEBHOOK_POLL_INTERVAL_MS: '250',
      ...options.env,
    };
    this.env = env;
    for (let i = 0; i < options.replicas; i++) this.replicas.push(await Replica.create(`r${i}`, env, this.dir));
    // One after the other: on two cores, starting them together only makes each start slower.
    for (const r of this.replicas) await r.start();
    this.probeReadiness();
  }

  /** One more replica, with settings of its own (the overload run turns shedding on). */
  async addReplica(name: string, env: Record<string, string>): Promise<Replica> {
    const r = await Replica.create(name, { ...this.env, ...env }, this.dir);
    this.replicas.push(r);
    await r.start();
    return r;
  }

  private async startDatabase(): Promise<void> {
    await this.postgres.start();
    await createDatabase(this.postgres.url(), 'bridge', { migrate: true });
  }

  /** A new standby of the primary (pg_basebackup under whatever load runs), started and streaming. */
  async rebuildStandby(): Promise<void> {
    const standby = await OwnedPostgres.standbyOf(this.postgres);
    this.standby = standby;
    await standby.start();
  }

  /** synchronous_standby_names on the primary: '*' (a commit waits until the standby has flushed it) or '' (it
   * does not wait). With sync, waits until the standby is attached as synchronous. */
  async setSynchronous(sync: boolean, timeoutMs = 60_000): Promise<void> {
    const url = this.postgres.url();
    await adminQuery(url, `ALTER SYSTEM SET synchronous_standby_names = '${sync ? '*' : ''}'`);
    await adminQuery(url, 'SELECT pg_reload_conf()');
    const started = Date.now();
    for (;;) {
      const { rows } = await adminQuery<{ sync_state: string }>(url, 'SELECT sync_state FROM pg_stat_replication');
      if (rows.some((r) => r.sync_state === (sync ? 'sync' : 'async'))) return;
      if (Date.now() - started > timeoutMs) throw new Error(`the standby is not ${sync ? 'synchronous' : 'streaming'}: ${JSON.stringify(rows)}`);
      await sleep(200);
    }
  }

  /** The primary's machine lost (every process SIGKILLed), after `decideMs` the standby promoted (pg_ctl promote)
   * and the database address moved to it. The cluster then runs on the new primary without a standby. */
  async failover(decideMs: number): Promise<FailoverTimes> {
    const old = this.postgres;
    const standby = this.standby;
    if (!standby || !this.dbProxy) throw new Error('failover needs the topology (a standby behind the database address)');
    const killedAt = Date.now();
    // A machine that is gone sends no FIN: the connections through the address hang until it moves.
    this.dbProxy.setMode('black-hole');
    await old.kill();
    await sleep(decideMs);
    standby.promote();
    // A promoted standby inherits the primary's synchronous_standby_names; with no standby of its own, its commits
    // would wait forever. Patroni does the same: synchronous mode off until a new standby attaches.
    await adminQuery(standby.url(), `ALTER SYSTEM SET synchronous_standby_names = ''`);
    await adminQuery(standby.url(), 'SELECT pg_reload_conf()');
    const promotedMs = Date.now() - killedAt;
    this.dbProxy.retarget({ host: '127.0.0.1', port: standby.port });
    this.dbProxy.setMode('pass');
    const switchedMs = Date.now() - killedAt;
    this.postgres = standby;
    this.standby = undefined;
    await old.destroy();
    return { promotedMs, switchedMs };
  }

  /** One query on a connection of its own (the database may have been restarted since the last one). */
  async query<R extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> {
    return (await adminQuery<R>(this.databaseUrl, sql, params, 3_000)).rows;
  }

  async pendingMessages(): Promise<number> {
    const [r] = await this.query<{ n: string }>(/* sql */ `SELECT count(*) AS n FROM outbox WHERE delivered_at IS NULL`);
    return Number(r?.n ?? 0);
  }

  /** Waits until the relay has delivered everything (throws after the timeout, naming what is left). */
  async drained(timeoutMs = 90_000): Promise<void> {
    const started = Date.now();
    let pending = -1;
    while (Date.now() - started < timeoutMs) {
      try {
        pending = await this.pendingMessages();
        if (pending === 0) return;
      } catch {
        // the database may be coming back
      }
      await sleep(250);
    }
    throw new Error(`the outbox still holds ${pending} undelivered messages after ${timeoutMs} ms`);
  }

  /** Replicas that exited without being told to: crashes. */
  crashes(): number {
    return this.replicas.reduce((n, r) => n + r.unexpectedExits(), 0);
  }

  /** The last lines of every replica that crashed, for the failure message. */
  crashLogs(): string {
    return this.replicas
      .filter((r) => r.unexpectedExits() > 0)
      .map((r) => `${r.name}:\n${r.tail(30)}`)
      .join('\n');
  }

  async destroy(): Promise<void> {
    // Each step bounded: a clean-up that hangs must not keep the test run (or its processes) alive.
    const step = async (name: string, fn: () => Promise<unknown>) => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<void>(
        (r) =>
          (timer = setTimeout(() => {
            process.stderr.write(`chaos: clean-up step ${name} took over 15 s; going on\n`);
            r();
          }, 15_000)),
      );
      await Promise.race([fn().catch(() => undefined), late]);
      clearTimeout(timer);
    };
    clearInterval(this.probing);
    for (const r of this.replicas) await step(`replica ${r.name}`, () => r.stop('SIGKILL'));
    if (!this.kafka) await step('proxy', async () => this.proxy?.close());
    if (this.kafka) await step('kafka', async () => this.kafka?.destroy());
    else await step('broker', async () => this.broker?.destroy());
    await step('database proxy', async () => this.dbProxy?.close());
    await step('standby', async () => this.standby?.destroy());
    await step('postgres', async () => this.postgres?.destroy());
    this.removeClients();
    if (this.dir && process.env['CHAOS_KEEP_LOGS'] !== undefined) {
      keepFolder(this.dir);
      process.stderr.write(`chaos: replica logs kept in ${this.dir}\n`);
    } else if (this.dir) releaseFolder(this.dir);
    killEverything();
  }
}
