// `npm run bench:ab -- <other checkout>`: this checkout's bridge against another's (an earlier commit in a git
// worktree, say), both running at once on their own fresh databases, measured in alternation. On a shared
// virtual machine the same code gives figures that drift by a tenth or more within an hour (docs/performance.md),
// so two bench runs taken one after the other cannot show a change of a few percent; alternating request by
// request (latency) and phase by phase (saturation) puts the drift on both sides alike.
//   latency: one request at a time, every 25 ms, to each bridge in turn (each gets 20 a second);
//   saturation: 10 callers for --seconds against one bridge, then the other, four times, the order swapped each time.
// The relay is held back (the ingest alone, as the ingest target is judged) unless --relay is given.
// The other checkout needs its node_modules (a symlink to these does) and brings its own migrations.
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { resolve } from 'node:path';
import { adviceBody } from './bodies.ts';
import { capacity } from './capacity.ts';
import { send, type Target } from './http-load.ts';
import * as here from './stack.ts';
import { spread } from './stats.ts';

const { values: v, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    seconds: { type: 'string', default: '30' },
    'capacity-seconds': { type: 'string', default: '8' },
    rounds: { type: 'string', default: '4' },
    relay: { type: 'boolean', default: false },
    // KEY=VALUE for this checkout's bridge only (tracing on here, off there, say); may be repeated.
    'here-env': { type: 'string', multiple: true, default: [] },
  },
});
if (positionals.length !== 1) {
  process.stderr.write(
    'usage: npm run bench:ab -- <path of another checkout> [--seconds 30] [--capacity-seconds 8] [--rounds 4] [--relay] [--here-env KEY=VALUE]\n',
  );
  process.exit(2);
}
const otherDir = resolve(positionals[0]!);
const there = (await import(`${otherDir}/bench/stack.ts`)) as typeof here;
const pgUrl = process.env['BENCH_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const brokers = process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092';
const env: Record<string, string> = v.relay ? {} : { RELAY_ENABLED: 'false' };
const hereEnv = Object.fromEntries(v['here-env'].map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));

interface Side {
  name: string;
  mod: typeof here;
  stack: here.Stack;
  db: string;
  bridge?: here.BridgeProcess;
  target?: Target;
}
const sides: Side[] = [];
try {
  for (const [name, mod] of [
    ['this checkout', here],
    [otherDir, there],
  ] as const) {
    const stack = await mod.prepareStack(pgUrl, brokers);
    sides.push({ name, mod, stack, db: await mod.freshDatabase(stack, 'ab') });
  }
  for (const s of sides) {
    s.bridge = await s.mod.startBridge(s.stack, s.db, { env: s.mod === here ? { ...env, ...hereEnv } : env });
    s.target = { url: s.bridge.url, path: '/v1/advices', token: s.stack.token };
    await capacity({ target: s.target, runId: s.stack.runId, callers: 2, seconds: 3 }); // warm-up
  }
  const latencies = sides.map((): number[] => []);
  const end = performance.now() + Number(v.seconds) * 1_000;
  for (let turn = 0; performance.now() < end; turn++) {
    await sleep(25);
    const s = sides[turn % 2]!;
    const answer = await send(s.target!, adviceBody(s.stack.runId), performance.now());
    if (answer.status !== 202) throw new Error(`${s.name} answered ${answer.status}: ${answer.body.slice(0, 200)}`);
    latencies[turn % 2]!.push(answer.latencyMs);
  }
  const rates = sides.map((): number[] => []);
  for (let round = 0; round < Number(v.rounds); round++) {
    for (const i of round % 2 === 0 ? [0, 1] : [1, 0]) {
      const s = sides[i]!;
      const c = await capacity({ target: s.target!, runId: s.stack.runId, callers: 10, seconds: Number(v['capacity-seconds']) });
      rates[i]!.push(Math.round(c.recordsPerSecond));
    }
  }
  for (const [i, s] of sides.entries()) {
    const l = spread(latencies[i]!);
    process.stdout.write(
      `${s.name}: one at a time, 20/s: HTTP p50 ${l.p50.toFixed(2)} ms, p95 ${l.p95.toFixed(2)} ms (${latencies[i]!.length} requests); saturation, 10 callers: ${rates[i]!.join(' ')} rec/s\n`,
    );
  }
} finally {
  for (const s of sides) {
    await s.bridge?.stop();
    await s.mod.dropDatabase(s.stack, s.db);
    s.stack.remove();
  }
}
