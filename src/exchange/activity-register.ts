// The register of processing activities (policies/processing-activities.json): each activity the exchange policy
// names, one version of it per entry, published by the operator at PROCESSING_ACTIVITY_REGISTER_URL. A span's
// dpl.core.processing_activity_id is the entry's absolute URL there (Logboek Dataverwerkingen). Checked at start:
// an activity the bridge would log but the register lacks stops the service, like a broken policy.
import { readFileSync } from 'node:fs';
import { POLICIES_DIR, PolicyError } from './policy-load.ts';

export const DEFAULT_REGISTER_FILE = `${POLICIES_DIR}processing-activities.json`;
export const DEFAULT_REGISTER_URL = 'https://register.example/gcos-zsm-bridge/verwerkingsactiviteiten/';

export interface RegisteredActivity {
  /** The id the exchange policy and the processing log use. */
  id: string;
  /** Where this version sits under the register's URL: a new version gets a new path. */
  path: string;
  name: string;
}

export interface ActivityRegister {
  /** The absolute URI of an activity's current version; throws for an activity the register lacks. */
  uriOf(activity: string): string;
}

const PATH = /^[a-z0-9][a-z0-9._~-]*(\/[a-z0-9][a-z0-9._~-]*)*$/;

/** Builds the register and checks that it holds every activity in `used`; a PolicyError names each problem. */
export function activityRegister(entries: readonly RegisteredActivity[], baseUrl: string, used: readonly string[], file = 'register'): ActivityRegister {
  const problems: string[] = [];
  const uris = new Map<string, string>();
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  for (const [i, e] of entries.entries()) {
    if (typeof e?.id !== 'string' || typeof e.path !== 'string' || !PATH.test(e.path)) {
      problems.push(`activities[${i}] needs an id and a relative path of lower-case segments`);
      continue;
    }
    if (uris.has(e.id)) problems.push(`activities[${i}]: ${e.id} is registered twice`);
    uris.set(e.id, new URL(e.path, base).href);
  }
  for (const activity of new Set(used)) if (!uris.has(activity)) problems.push(`${activity} is used by the bridge but not in the register`);
  if (problems.length > 0) throw new PolicyError(file, problems);
  return {
    uriOf(activity) {
      const uri = uris.get(activity);
      if (!uri) throw new Error(`processing activity not in the register: ${activity}`);
      return uri;
    },
  };
}

export function loadActivityRegister(file: string, baseUrl: string, used: readonly string[]): ActivityRegister {
  let entries: RegisteredActivity[];
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { activities?: unknown };
    if (!Array.isArray(parsed.activities)) throw new Error('no activities list');
    entries = parsed.activities as RegisteredActivity[];
  } catch (err) {
    throw new PolicyError(file, [`cannot read the register of processing activities: ${(err as Error).message}`]);
  }
  return activityRegister(entries, baseUrl, used, file);
}

let current: ActivityRegister | undefined;

/** Set once at start (services.ts), as the dataschema base is. */
export function useActivityRegister(register: ActivityRegister): void {
  current = register;
}

/** The URI a span names an activity by: its register URL; the policy's id (a URN, itself an absolute URI) while no
 * register is loaded (unit tests that build the spine by hand). */
export function activityUri(activity: string): string {
  return current ? current.uriOf(activity) : activity;
}
