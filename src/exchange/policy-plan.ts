// The ExchangePlan the exchange policy describes. Everything that can be prepared is prepared here, once: view
// trees per (kind, recipient), the kind's special-category fields; per record only conditions and views run.
import { fieldError, type FieldError } from '../errors.ts';
import { topicName } from '../kafka/topics.ts';
import type { Pseudonymiser } from '../privacy/pseudonym.ts';
import { loadRegionDirectory, type Region, type RegionDirectory } from '../regions/regions.ts';
import { holds } from './conditions.ts';
import { hasValueAt, parsePath, specialCategoryPaths, valuesAt } from './field-paths.ts';
import type { KindSchema } from './policy-check.ts';
import type { Audience, Disclosure, ExchangePlan } from './plan.ts';
import type { ExchangePolicy, Grant } from './policy.ts';
import { buildView, compileView, deliversPlain, type ViewSpec } from './views.ts';

interface CompiledGrant {
  recipient: string;
  grant: Grant;
  view: ViewSpec;
  domain: string;
  /** For a regional recipient: where the municipality sits. */
  routeBy?: readonly string[];
}

interface CompiledKind {
  special: { path: string; segments: readonly string[]; category: string }[];
  grants: CompiledGrant[];
  /** Each grant as an Audience, in the order of `grants`. */
  audience: Audience[];
}

/** The pseudonym domain of a recipient: its own unless the policy lets several share one. */
export function recipientDomain(policy: ExchangePolicy, recipient: string): string {
  return `recipient:${policy.recipients[recipient]?.pseudonymDomain ?? recipient}`;
}

/** Where a regional grant sends a record: the region of the municipality at `routeBy`, or undefined when no region
 * knows that municipality. */
function regionOf(record: unknown, routeBy: readonly string[], regions: RegionDirectory): Region | undefined {
  const code = valuesAt(record, routeBy)[0]?.value;
  return typeof code === 'string' ? regions.byMunicipality(code) : undefined;
}

/** The recipients of a regional grant: the person's region, then the extra regions (by VR code), each once. */
function regionTargets(record: unknown, routeBy: readonly string[], extra: string[], regions: RegionDirectory): string[] {
  const own = regionOf(record, routeBy, regions);
  const all = [...(own ? [own.recipient] : []), ...extra.map((code) => regions.regions.find((r) => r.region === code)?.recipient)];
  return [...new Set(all.filter((r): r is string => r !== undefined))];
}

/** `regions` defaults to the repository's data/ (the offline validator and tests need no other). */
export function createPolicyPlan(
  policy: ExchangePolicy,
  kinds: readonly KindSchema[],
  topicPrefix: string,
  pseudonymiser: Pseudonymiser,
  given?: RegionDirectory,
): ExchangePlan {
  const needsRegions = Object.values(policy.kinds).some((k) => Object.values(k.recipients).some((g) => g.routeBy));
  const regions = given ?? (needsRegions ? loadRegionDirectory() : undefined);
  const compiled = new Map<string, CompiledKind>();
  for (const kind of kinds) {
    const k = policy.kinds[kind.name];
    if (!k) continue;
    const special = specialCategoryPaths(kind.schema).map((s) => ({ ...s, segments: parsePath(s.path) }));
    const grants = Object.entries(k.recipients).map(([recipient, grant]): CompiledGrant => {
      return {
        recipient,
        grant,
        view: compileView(
          grant.fields,
          special.map((s) => s.path),
        ),
        domain: recipientDomain(policy, recipient),
        ...(grant.routeBy && { routeBy: parsePath(grant.routeBy) }),
      };
    });
    const audience = grants.map((g): Audience => ({ grant: g.recipient, plain: (segments) => deliversPlain(g.view, segments) }));
    compiled.set(kind.name, { special, grants, audience });
  }

  return {
    policy,
    admit({ kind, record, legalBasis, purpose }) {
      const k = policy.kinds[kind];
      const c = compiled.get(kind);
      if (!k || !c) return [fieldError('KIND_NOT_IN_POLICY', '', `exchange policy ${policy.version} has no rules for ${kind}`, `kinds.${kind}`)];
      const errors: FieldError[] = [];
      const accepted = k.accepts.find((a) => a.legalBasis === legalBasis.value);
      if (!accepted) {
        errors.push(
          fieldError(
            'LEGAL_BASIS_NOT_ACCEPTED',
            legalBasis.pointer,
            `legal basis ${legalBasis.value} is not accepted for ${kind} by exchange policy ${policy.version}`,
            `kinds.${kind}.accepts`,
          ),
        );
      } else if (!accepted.purposes.includes(purpose.value)) {
        errors.push(
          fieldError(
            'PURPOSE_NOT_ACCEPTED',
            purpose.pointer,
            `purpose ${purpose.value} is not covered by legal basis ${legalBasis.value} in exchange policy ${policy.version}`,
            `kinds.${kind}.accepts`,
          ),
        );
      }
      for (const s of c.special) {
        const rules = (k.specialCategories ?? []).filter((r) => r.field === s.path);
        if (rules.some((r) => holds(r.when, record))) continue;
        for (const { pointer } of valuesAt(record, s.segments)) {
          errors.push(
            fieldError(
              'SPECIAL_CATEGORY_NOT_ALLOWED',
              pointer,
              `holds special-category data (${s.category}) that no rule of exchange policy ${policy.version} admits here`,
              `kinds.${kind}.specialCategories`,
            ),
          );
        }
      }
      // A regional grant that applies must find the region: an unroutable record is refused, never dropped.
      for (const g of c.grants) {
        if (!g.routeBy || (g.grant.when && !holds(g.grant.when, record))) continue;
        if (!regionOf(record, g.routeBy, regions!)) {
          const pointer = `/${g.routeBy.join('/')}`;
          errors.push(
            fieldError(
              'MUNICIPALITY_UNKNOWN',
              pointer,
              `names a municipality that no Zorg- en Veiligheidshuis region covers (data/municipality-regions.csv)`,
              `kinds.${kind}.recipients.${g.recipient}.routeBy`,
            ),
          );
        }
      }
      return errors;
    },
    disclosuresFor({ kind, record: original, subjectBsn, alsoToRegions, recordFor }) {
      const out: Disclosure[] = [];
      for (const g of compiled.get(kind)?.grants ?? []) {
        if (g.grant.when && !holds(g.grant.when, original)) continue;
        // The subject's BSN is pseudonymised for the view and again for the message key: one HMAC, not two.
        const made = new Map<string, string>();
        const pseudonym = (value: string) => {
          let p = made.get(value);
          if (p === undefined) made.set(value, (p = pseudonymiser.pseudonym(value, g.domain)));
          return p;
        };
        // Conditions and routing read the record as sent; the view is built from its redacted copy, if any.
        const record = recordFor?.get(g.recipient) ?? original;
        const view = buildView(record, g.view, { pseudonym });
        const fields = g.view.fields.filter((f) => hasValueAt(record, parsePath(f)));
        const messageKey = pseudonym(subjectBsn);
        // One recipient, or for a regional grant the person's region plus any region the caller adds (the
        // Veiligheidshuis that gave the advice a decision answers).
        const targets = g.routeBy ? regionTargets(original, g.routeBy, alsoToRegions ?? [], regions!) : [g.recipient];
        for (const recipient of targets) out.push({ recipient, grant: g.recipient, topic: topicName(topicPrefix, kind, recipient), view, fields, messageKey });
      }
      return out;
    },
    grants(kind) {
      return compiled.get(kind)?.audience ?? [];
    },
    audience(kind, record) {
      const c = compiled.get(kind);
      return c
        ? c.audience.filter((_, i) => {
            const when = c.grants[i]!.grant.when;
            return !when || holds(when, record);
          })
        : [];
    },
    identifiersInText(kind) {
      return policy.kinds[kind]?.identifiersInText ?? 'refuse';
    },
    processingActivity(kind) {
      return policy.kinds[kind]?.processingActivity ?? `urn:gcos-zsm-bridge:verwerking:${kind}`;
    },
    topics() {
      return [...compiled.entries()].flatMap(([kind, c]) =>
        c.grants.flatMap((g) =>
          g.routeBy ? regions!.regions.map((r) => topicName(topicPrefix, kind, r.recipient)) : [topicName(topicPrefix, kind, g.recipient)],
        ),
      );
    },
  };
}
