// Import rules for src/, checked in `npm run check` (depcruise): no cycles, and no import pointing back up the
// layers. From the bottom: the shared vocabulary (records/ and the error catalogue), the domain rules, the store,
// the use cases, the doors (http/, cli/), the composition (app.ts, services.ts, server.ts). docs/architecture.md
// draws the same picture.
const VOCABULARY = '^src/(records/|errors[.]ts$|version[.]ts$|logger[.]ts$)';
const DOMAIN =
  '^src/(exchange|quality|regions|auth|observability|kafka|outbox)/|^src/privacy/(bsn|pseudonym|key-file|identifiers-in-text|identifier-messages)[.]ts$|^src/processing-log/entry[.]ts$|^src/relay/(slots|slot-share)[.]ts$|^src/deployment/findings[.]ts$|^src/webhook/(address-guard|backoff|secrets|sender|declared-subscriptions)[.]ts$';
const STORE = '^src/store/';
const USE_CASES =
  '^src/(ingest|inbound|jobs|lookup|feedback|contract|feed)/|^src/privacy/subject-access[.]ts$|^src/processing-log/verify[.]ts$|^src/relay/relay[.]ts$|^src/deployment/durability-check[.]ts$|^src/webhook/(deliverer|subscriptions)[.]ts$';
const DOORS = '^src/(http|cli)/';
const COMPOSITION = '^src/(app|services|server|config|config-table|config-variables)[.]ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'a file cycle: split out what both sides need', from: {}, to: { circular: true } },
    {
      name: 'vocabulary-is-a-leaf',
      severity: 'error',
      comment: "records/ and the error catalogue import nothing of the service (records/ may throw the catalogue's errors)",
      from: { path: VOCABULARY },
      to: { path: '^src/', pathNot: VOCABULARY },
    },
    {
      name: 'domain-below-store',
      severity: 'error',
      comment: 'domain rules take data as arguments; they do not read the store or call a use case',
      from: { path: DOMAIN },
      to: { path: [STORE, USE_CASES, DOORS, COMPOSITION] },
    },
    {
      name: 'store-below-use-cases',
      severity: 'error',
      comment: 'repositories hold SQL and nothing above it',
      from: { path: STORE },
      to: { path: [USE_CASES, DOORS, COMPOSITION] },
    },
    {
      name: 'use-cases-below-doors',
      severity: 'error',
      comment: 'a use case does not know which door called it',
      from: { path: USE_CASES },
      to: { path: [DOORS, COMPOSITION] },
    },
    {
      name: 'doors-below-composition',
      severity: 'error',
      comment: 'routes and commands get what they need from services',
      from: { path: DOORS, pathNot: '^src/(http/openapi-document|cli/[a-z-]+-command)[.]ts$' },
      to: { path: '^src/(app|server)[.]ts$' },
    },
    {
      name: 'every-file-has-a-layer',
      severity: 'error',
      comment: 'a new folder gets a layer here',
      from: { path: '^src/', pathNot: [VOCABULARY, DOMAIN, STORE, USE_CASES, DOORS, COMPOSITION] },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^src/',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
