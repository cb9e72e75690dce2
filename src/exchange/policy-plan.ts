// The ExchangePlan the exchange policy describes. Everything that can be prepared is prepared here, once: view
// trees per (kind, recipient), the kind's special-category fields; per record only conditions and views run.
import { fieldError, type FieldError } from '../errors.ts';
import { topicName } from '../kafka/topics.ts';
import type { Pseudonymiser } from '../privacy/pseudonym.ts';
import { holds } from './conditions.ts';
import { parsePath, specialCategoryPaths, valuesAt } from './field-paths.ts';
import type { KindSchema } from './policy-check.ts';
import type { Delivery, ExchangePlan } from './plan.ts';
import type { ExchangePolicy, Grant } from './policy.ts';
import { buildView, compileView, type ViewSpec } from './views.ts';

interface CompiledGrant {
  recipient: string;
  grant: Grant;
  view: ViewSpec;
  domain: string;
}

interface CompiledKind {
  special: { path: string; segments: string[]; category: string }[];
  grants: CompiledGrant[];
}

/** The pseudonym domain of a recipient: its own unless the policy lets several share one. */
export function recipientDomain(policy: ExchangePolicy, recipient: string): string {
  return `recipient:${policy.recipients[recipient]?.pseudonymDomain ?? recipient}`;
}

export function createPolicyPlan(policy: ExchangePolicy, kinds: readonly KindSchema[], topicPrefix: string, pseudonymiser: Pseudonymiser): ExchangePlan {
  const compiled = new Map<string, CompiledKind>();
  for (const kind of kinds) {
    const k = policy.kinds[kind.name];
    if (!k) continue;
    const special = specialCategoryPaths(kind.schema).map((s) => ({ ...s, segments: parsePath(s.path) }));
    const grants = Object.entries(k.recipients).map(([recipient, grant]) => ({
      recipient, grant, view: compileView(grant.fields, special.map((s) => s.path)), domain: recipientDomain(policy, recipient),
    }));
    compiled.set(kind.name, { special, grants });
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
        errors.push(fieldError('LEGAL_BASIS_NOT_ACCEPTED', legalBasis.pointer, `legal basis ${legalBasis.value} is not accepted for ${kind} by exchange policy ${policy.version}`, `kinds.${kind}.accepts`));
      } else if (!accepted.purposes.includes(purpose.value)) {
        errors.push(fieldError('PURPOSE_NOT_ACCEPTED', purpose.pointer, `purpose ${purpose.value} is not covered by legal basis ${legalBasis.value} in exchange policy ${policy.version}`, `kinds.${kind}.accepts`));
      }
      for (const s of c.special) {
        const rules = (k.specialCategories ?? []).filter((r) => r.field === s.path);
        if (rules.some((r) => holds(r.when, record))) continue;
        for (const { pointer } of valuesAt(record, s.segments)) {
          errors.push(fieldError('SPECIAL_CATEGORY_NOT_ALLOWED', pointer, `holds special-category data (${s.category}) that no rule of exchange policy ${policy.version} admits here`, `kinds.${kind}.specialCategories`));
        }
      }
      return errors;
    },
    deliveriesFor({ kind, record, subjectBsn }) {
      const out: Delivery[] = [];
      for (const g of compiled.get(kind)?.grants ?? []) {
        if (g.grant.when && !holds(g.grant.when, record)) continue;
        const pseudonym = (value: string) => pseudonymiser.pseudonym(value, g.domain);
        out.push({
          recipient: g.recipient,
          topic: topicName(topicPrefix, kind, g.recipient),
          view: buildView(record, g.view, { pseudonym }),
          fields: g.view.fields.filter((f) => valuesAt(record, parsePath(f)).length > 0),
          messageKey: pseudonym(subjectBsn),
        });
      }
      return out;
    },
    processingActivity(kind) {
      return policy.kinds[kind]?.processingActivity ?? `urn:gcos-zsm-bridge:verwerking:${kind}`;
    },
    topics() {
      return [...compiled.entries()].flatMap(([kind, c]) => c.grants.map((g) => topicName(topicPrefix, kind, g.recipient)));
    },
  };
}
