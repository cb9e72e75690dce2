// CloudEvents 1.0, Kafka protocol binding, binary mode: attributes travel as ce_ headers, the data as the value.
// NL GOV profile for CloudEvents 1.1 (docs/standards.md): source is a URN with the OIN and the system, type is
// reverse-DNS named after the domain with at most one version, time is when the bridge logged the event (accepted,
// expired or quarantined it), dataschema points to the schema of this topic's data, served by the bridge
// (GET /v1/schemas/{topic}/{type}). No personal data in any attribute: the key is a pseudonym, the id a UUID.
// One extension attribute: `fsctransactionid`, the FSC transaction id (UUIDv7) of the request or message that
// caused the event (decision 0109), so that a recipient can name the transaction to the sender's FSC logs.

export interface EventAttributes {
  id: string;
  source: string;
  type: string;
  time: string;
  dataschema: string;
  traceparent: string;
  /** The FSC transaction id; left out when none caused the event (a job's notice). */
  fsctransactionid?: string | undefined;
}

/** The Kafka header of the extension attribute (binary mode: `ce_` and the attribute name). */
export const TRANSACTION_ID_KAFKA_HEADER = 'ce_fsctransactionid';

export const BRIDGE_SYSTEM = 'gcos-zsm-bridge';

export function bridgeSource(oin: string): string {
  return `urn:nld:oin:${oin}:systeem:${BRIDGE_SYSTEM}`;
}

/** The path the bridge serves a message's data schema at (src/http/schemas.ts). */
export function dataschemaPath(topic: string, type: string): string {
  return `/v1/schemas/${encodeURIComponent(topic)}/${encodeURIComponent(type)}`;
}

let base = 'http://localhost:8080';
const uris = new Map<string, string>();

/** Where recipients reach the bridge (PUBLIC_BASE_URL): set once at start, before any message is built. */
export function setDataschemaBase(url: string): void {
  if (url === base) return;
  base = url.replace(/\/+$/, '');
  uris.clear();
}

/** The absolute `dataschema` URI of a (topic, type): made once per pair, not once per message. */
export function dataschemaUri(topic: string, type: string): string {
  const k = `${topic}\u0000${type}`;
  let uri = uris.get(k);
  if (uri === undefined) uris.set(k, (uri = `${base}${dataschemaPath(topic, type)}`));
  return uri;
}

export function cloudEventHeaders(a: EventAttributes): Record<string, string> {
  const headers: Record<string, string> = {
    ce_specversion: '1.0',
    ce_id: a.id,
    ce_source: a.source,
    ce_type: a.type,
    ce_time: a.time,
    ce_dataschema: a.dataschema,
    'content-type': 'application/json',
    traceparent: a.traceparent,
  };
  if (a.fsctransactionid) headers[TRANSACTION_ID_KAFKA_HEADER] = a.fsctransactionid;
  return headers;
}
