// The short version of every fault scenario (chaos/), on a cluster the harness owns: its own PostgreSQL, its own
// broker behind its own TCP proxy, and two bridge replicas as processes. `npm run chaos` runs the long campaign.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster } from '../../../chaos/cluster.ts';
import { runOverload } from '../../../chaos/overload.ts';
import { runScenario, unanswered, type ScenarioResult } from '../../../chaos/scenario.ts';
import { SCENARIOS } from '../../../chaos/scenarios.ts';

const SIZE = { records: 240, clients: 6, subjectsPerClient: 3, holdMs: 3_000, paceMs: 50 };

let cluster: Cluster;
beforeAll(async () => {
  cluster = await Cluster.start({ replicas: 2 });
}, 240_000);
afterAll(async () => {
  await cluster?.destroy();
}, 120_000);

function expectHeld(r: ScenarioResult, allowsCutOff: boolean, answersEveryRequest: boolean): void {
  process.stdout.write(`${r.line}\n`);
  expect(r.acked).toBeGreaterThanOrEqual(SIZE.records);
  expect(r.lostRecords).toBe(0);
  expect(r.lost).toBe(0);
  expect(r.foreignDuplicates).toBe(0);
  expect(r.inversions).toBe(0);
  expect(r.load.statuses[500] ?? 0).toBe(0);
  expect(r.crashes).toBe(0);
  if (!allowsCutOff) expect(r.load.cutOff).toBe(0);
  if (answersEveryRequest) expect(unanswered(r.load)).toBe(0);
  expect(r.load.falselyNotStored).toBe(0); // a 503 saying nothing was stored, for an advice that was
  if (r.fault.midBatch !== undefined) expect(r.fault.midBatch).toBe(true);
  if (r.fault.sigtermExit !== undefined) expect(r.fault.sigtermExit).toBe(0); // a clean shutdown, not the forced exit
  if (r.fault.webhook) {
    for (const [name, w] of Object.entries(r.fault.webhook.receivers)) {
      expect(w.expected, name).toBeGreaterThanOrEqual(SIZE.records);
      expect(w.lost, name).toBe(0);
      expect(w.inversions, name).toBe(0);
    }
    expect(r.fault.webhook.badSignatures).toBe(0);
    // The slow receiver (one second a call) is far behind when the healthy one has everything.
    expect(r.fault.webhook.slowHadWhenHealthyDone).toBeLessThan(SIZE.records);
  }
}

describe('under faults, with two replicas and steady load', () => {
  SCENARIOS.forEach((scenario, i) => {
    it(`${scenario.name}: nothing acknowledged is lost, no order inverted`, async () => {
      const r = await runScenario(cluster, scenario, SIZE, i * SIZE.clients * SIZE.subjectsPerClient);
      expectHeld(r, scenario.allowsCutOff === true, scenario.answersEveryRequest === true);
    }, 240_000);
  });
});

describe('at about twice the sustainable rate', () => {
  it('sheds with 429/503 and Retry-After, keeps answering readiness, does not crash, keeps its memory bounded, loses nothing', async () => {
    const r = await runOverload(cluster, { seconds: 8, measureSeconds: 3 });
    process.stdout.write(`${r.line}\n`);
    expect(r.shed).toBeGreaterThan(0);
    expect(r.shedWithoutRetryAfter).toBe(0);
    expect(
      Object.keys(r.statuses)
        .map(Number)
        .filter((s) => ![202, 429, 503].includes(s)),
    ).toEqual([]);
    expect(r.readinessMissed).toBe(0);
    expect(r.crashes).toBe(0);
    expect(r.lost).toBe(0);
    expect(r.rssMaxMb).toBeLessThan(768);
  }, 180_000);
});
