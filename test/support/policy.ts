// Exchange policies for tests: the shipped one, or a variant written to a temporary file, as an operator would
// change it (EXCHANGE_POLICY_FILE), with no change to the code.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { DEFAULT_POLICY_FILE, loadExchangePolicy } from '../../src/exchange/policy-load.ts';
import type { ExchangePolicy } from '../../src/exchange/policy.ts';
import { kindSchemas } from '../../src/ingest/kinds/index.ts';

export function defaultPolicy(): ExchangePolicy {
  return loadExchangePolicy(DEFAULT_POLICY_FILE, kindSchemas());
}

/** The shipped policy's text as data, changed by `edit`, written to a fresh temporary file; returns its path. */
export function writePolicyVariant(edit: (policy: ExchangePolicy) => void, name = 'exchange-policy.yaml'): string {
  const policy = parse(readFileSync(DEFAULT_POLICY_FILE, 'utf8')) as ExchangePolicy;
  edit(policy);
  const file = join(mkdtempSync(join(tmpdir(), 'bridge-policy-')), name);
  writeFileSync(file, stringify(policy));
  return file;
}

/** Writes text as a policy file (for broken policies). */
export function writePolicyText(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'bridge-policy-')), 'exchange-policy.yaml');
  writeFileSync(file, text);
  return file;
}
