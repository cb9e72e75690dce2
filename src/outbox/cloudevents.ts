// CloudEvents 1.0, Kafka protocol binding, binary mode: attributes travel as ce_ headers, the data as the value.
// NL GOV profile: source is a URN with the OIN, type is reverse-DNS named after the domain, no personal data in
// any attribute.

export interface EventAttributes {
  id: string;
  source: string;
  type: string;
  time: string;
  traceparent: string;
}

export function bridgeSource(oin: string): string {
  return `urn:nld:oin:${oin}:systeem:gcos-zsm-bridge`;
}

export function cloudEventHeaders(a: EventAttributes): Record<string, string> {
  return {
    ce_specversion: '1.0',
    ce_id: a.id,
    ce_source: a.source,
    ce_type: a.type,
    ce_time: a.time,
    'content-type': 'application/json',
    traceparent: a.traceparent,
  };
}
