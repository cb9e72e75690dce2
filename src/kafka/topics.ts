// Topic names: one topic per (record kind, recipient), versioned with the message contract.
export function topicName(prefix: string, kind: string, recipient: string): string {
  return `${prefix}bridge.${kind}.${recipient}.v1`;
}

/** Where inbound case events that could not be taken are announced. */
export function deadLetterTopicName(prefix: string): string {
  return topicName(prefix, 'case-event', 'dead-letter');
}

/** The inbound topic of ZSM case events: the configured name behind the prefix. */
export function inboundTopicName(prefix: string, name: string): string {
  return `${prefix}${name}`;
}
