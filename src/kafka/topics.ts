// Topic names: one topic per (record kind, recipient), versioned with the message contract.
export function topicName(prefix: string, kind: string, recipient: string): string {
  return `${prefix}bridge.${kind}.${recipient}.v1`;
}
