// `gcos-zsm-bridge validate <file.json>`: the service's verdict on a record, without a running stack or a
// database. It runs the same parser and verdict (schema, rules, quality, exchange policy) as POST /v1/advices and
// prints what the service would answer:
//   {"status": 202, "quality": {...}}          acceptable (exit 0), quality findings as in the receipt
//   {"status": 400|422, "problem": {...}}      refused (exit 1), the problem document as the service sends it
// Exit 2: usage or an unreadable file; exit 78: invalid configuration (QUALITY_SEVERITIES, EXCHANGE_POLICY_FILE).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.ts';
import { BridgeError, toProblem } from '../errors.ts';
import { DEFAULT_POLICY_FILE, loadExchangePolicy, PolicyError } from '../exchange/policy-load.ts';
import { createPolicyPlan } from '../exchange/policy-plan.ts';
import type { ExchangePlan } from '../exchange/plan.ts';
import { createPseudonymiser } from '../privacy/pseudonym.ts';
import { parseJsonBody } from '../records/json-body.ts';
import { KINDS, kindSchemas, type KindName, type RecordKind } from '../ingest/kinds/index.ts';
import { validateRecord } from '../ingest/verdict.ts';
import { DEFAULT_LANGUAGE, isLanguage, LANGUAGES } from '../quality/language.ts';
import { renderReport } from '../quality/render.ts';

/** The route each kind is submitted to: the `instance` of its problem documents. */
const ROUTES: Record<KindName, string> = { advice: '/v1/advices', 'case-event': '/v1/case-events' };

const USAGE = `usage: gcos-zsm-bridge validate <file.json> [--kind advice|case-event] [--lang ${LANGUAGES.join('|')}]
Prints the verdict POST ${ROUTES.advice} would give (schema, rules, quality, exchange policy), as JSON.
Exit 0: acceptable; 1: refused; 2: usage or file error. QUALITY_SEVERITIES and EXCHANGE_POLICY_FILE are read
from the environment, as by the service.
`;

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  env: NodeJS.ProcessEnv;
  now: () => Date;
}

const processIo: Io = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t), env: process.env, now: () => new Date() };

export async function run(args: string[], io: Io = processIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: { kind: { type: 'string', default: 'advice' }, lang: { type: 'string', default: DEFAULT_LANGUAGE } },
    });
  } catch (err) {
    io.err(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const { kind: kindName, lang } = parsed.values;
  const [file, ...extra] = parsed.positionals;
  if (!file || extra.length > 0 || !Object.hasOwn(KINDS, kindName) || !isLanguage(lang)) {
    io.err(USAGE);
    return 2;
  }
  let severities;
  let plan: ExchangePlan;
  try {
    severities = loadConfig(io.env, ['quality']).qualitySeverities;
    const kinds = kindSchemas();
    const policy = loadExchangePolicy(io.env['EXCHANGE_POLICY_FILE'] || DEFAULT_POLICY_FILE, kinds);
    // Admission never pseudonymises, so the plan needs no real key: the validator holds no secret.
    plan = createPolicyPlan(policy, kinds, '', createPseudonymiser('offline-validator-holds-no-secret-key', 'offline'));
  } catch (err) {
    if (!(err instanceof ConfigError) && !(err instanceof PolicyError)) throw err;
    io.err(`gcos-zsm-bridge: ${err.message}\n`);
    return 78;
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    io.err(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}\n`);
    return 2;
  }
  const kind = KINDS[kindName as KindName] as RecordKind<unknown>;
  try {
    const verdict = validateRecord(kind, parseJsonBody(bytes), io.now(), { severities, language: lang, plan });
    io.out(`${JSON.stringify({ status: 202, ...(verdict.quality && { quality: renderReport(verdict.quality, lang) }) }, null, 2)}\n`);
    const warnings = verdict.quality?.findings.length ?? 0;
    io.err(`${file}: acceptable${warnings > 0 ? ` with ${warnings} warning(s)` : ''}\n`);
    return 0;
  } catch (err) {
    if (!(err instanceof BridgeError)) throw err;
    io.out(`${JSON.stringify({ status: err.status, problem: toProblem(err, ROUTES[kindName as KindName]) }, null, 2)}\n`);
    io.err(`${file}: refused (${err.status} ${err.code}, ${err.errors?.length ?? 0} problem(s))\n`);
    return 1;
  }
}
