// A PostgreSQL server of the harness's own: initdb into a temporary folder and `postgres` in the foreground,
// both as the postgres OS user (initdb refuses root), so the harness can stop and restart it without touching the
// shared server on 5432.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pgRefusal } from '../harness/pg-admin.ts';
import { freePort } from '../harness/ports.ts';
import { exited, own, ownFolder, releaseFolder, sleep } from '../harness/processes.ts';

/** PG_BIN, else the newest Debian-packaged server (/usr/lib/postgresql/<major>/bin), else `pg_config --bindir`. */
function serverBinaries(): string {
  const given = process.env['PG_BIN'];
  if (given) return given;
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(`${root}/${v}/bin/initdb`))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (majors[0]) return `${root}/${majors[0]}/bin`;
  const dir = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' }).stdout?.trim();
  if (dir && existsSync(`${dir}/initdb`)) return dir;
  throw new Error('no PostgreSQL server binaries (initdb, postgres) found: set PG_BIN');
}

let bin: string | undefined;
const BIN = () => (bin ??= serverBinaries());

function osUser(name: string): { uid: number; gid: number } {
  const uid = Number(spawnSync('id', ['-u', name], { encoding: 'utf8' }).stdout.trim());
  const gid = Number(spawnSync('id', ['-g', name], { encoding: 'utf8' }).stdout.trim());
  if (!Number.isInteger(uid) || !Number.isInteger(gid)) throw new Error(`no OS user ${name} to run PostgreSQL as`);
  return { uid, gid };
}

export interface PostgresOptions {
  /** fsync on: what a primary with a standby runs with (the failover scenarios). Off by default. */
  fsync?: boolean;
}

export class OwnedPostgres {
  readonly port: number;
  readonly dir: string;
  private child: ChildProcess | undefined;
  private readonly user: { uid: number; gid: number } | undefined;
  private readonly fsync: boolean;

  private constructor(port: number, dir: string, options: PostgresOptions = {}) {
    this.port = port;
    this.dir = dir;
    this.fsync = options.fsync ?? false;
    // As root the server must run as postgres; as any other user it runs as that user.
    this.user = process.getuid?.() === 0 ? osUser('postgres') : undefined;
  }

  private static async folder(options: PostgresOptions): Promise<OwnedPostgres> {
    const dir = ownFolder(mkdtempSync(join(tmpdir(), 'chaos-pg-')));
    const db = new OwnedPostgres(await freePort(), dir, options);
    mkdirSync(join(dir, 'data'), { mode: 0o700 });
    if (db.user) {
      chownSync(dir, db.user.uid, db.user.gid);
      chownSync(join(dir, 'data'), db.user.uid, db.user.gid);
    }
    return db;
  }

  static async create(options: PostgresOptions = {}): Promise<OwnedPostgres> {
    const db = await OwnedPostgres.folder(options);
    const dir = db.dir;
    const r = spawnSync(`${BIN()}/initdb`, ['-D', join(dir, 'data'), '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8'], {
      ...db.user,
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`initdb failed: ${r.stderr}`);
    return db;
  }

  /** A streaming standby of a running primary (pg_basebackup -R: standby.signal and primary_conninfo written),
   * not yet started. Whether the primary waits for it is the primary's synchronous_standby_names. */
  static async standbyOf(primary: OwnedPostgres): Promise<OwnedPostgres> {
    const db = await OwnedPostgres.folder({ fsync: primary.fsync });
    const args = ['-D', join(db.dir, 'data'), '-h', '127.0.0.1', '-p', String(primary.port), '-U', 'postgres', '-X', 'stream', '-R', '-c', 'fast'];
    if (!primary.fsync) args.push('--no-sync');
    const r = spawnSync(`${BIN()}/pg_basebackup`, args, { ...db.user, encoding: 'utf8', timeout: 120_000 });
    if (r.status !== 0) throw new Error(`pg_basebackup failed: ${r.stderr}`);
    return db;
  }

  /** pg_ctl promote: the standby ends recovery and takes writes; waits until it does. */
  promote(): void {
    const r = spawnSync(`${BIN()}/pg_ctl`, ['promote', '-D', join(this.dir, 'data'), '-w', '-t', '60'], { ...this.user, encoding: 'utf8', timeout: 70_000 });
    if (r.status !== 0) throw new Error(`pg_ctl promote failed: ${r.stderr}${r.stdout}`);
  }

  /** The server's machine gone: SIGKILL to the postmaster and every one of its processes at once, so no backend
   * finishes anything after the postmaster is dead. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child?.pid) return;
    this.child = undefined;
    const kids = spawnSync('ps', ['-o', 'pid=', '--ppid', String(child.pid)], { encoding: 'utf8' })
      .stdout.split('\n')
      .map((l) => Number(l.trim()))
      .filter((n) => n > 0);
    for (const pid of [child.pid, ...kids]) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await exited(child);
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  /** Server URL of the postgres database (for CREATE DATABASE). */
  url(database = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  async start(timeoutMs = 30_000): Promise<void> {
    if (this.child) return;
    // fsync off (unless asked): the harness kills processes, not the machine, and the page cache survives a
    // process kill.
    const args = [
      '-D',
      join(this.dir, 'data'),
      '-p',
      String(this.port),
      '-k',
      this.dir,
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      `fsync=${this.fsync ? 'on' : 'off'}`,
      '-c',
      'max_connections=200',
      '-c',
      'shared_buffers=64MB',
    ];
    this.child = own(spawn(`${BIN()}/postgres`, args, { ...this.user, stdio: ['ignore', 'ignore', 'ignore'] }));
    const started = Date.now();
    while (Date.now() - started < timeoutMs) {
      if (this.child.exitCode !== null) throw new Error(`owned PostgreSQL exited with ${this.child.exitCode}`);
      if ((await pgRefusal(this.url(), 1_000)) === undefined) return;
      await sleep(200);
    }
    throw new Error('owned PostgreSQL did not start in time');
  }

  /** SIGINT is PostgreSQL's fast shutdown: sessions are ended, as in a restart. Should it hang, SIGQUIT. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    child.kill('SIGINT');
    const quit = setTimeout(() => child.kill('SIGQUIT'), 15_000);
    await exited(child);
    clearTimeout(quit);
  }

  /** SIGQUIT is PostgreSQL's immediate shutdown (`pg_ctl stop -m immediate`): every backend ends at once, a commit
   * under way included, without a word to its client; the next start recovers from the WAL. */
  async stopImmediately(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    child.kill('SIGQUIT');
    await exited(child);
  }

  async restart(downMs = 0, mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
    await (mode === 'immediate' ? this.stopImmediately() : this.stop());
    if (downMs > 0) await sleep(downMs);
    await this.start();
  }

  async destroy(): Promise<void> {
    await this.stop().catch(() => undefined);
    releaseFolder(this.dir);
  }
}
