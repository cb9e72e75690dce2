import { describe, expect, it } from 'vitest';
import { adviceChain } from '../../../src/feedback/chain.ts';
import type { LinkedRecord } from '../../../src/store/links-repo.ts';

const link = (o: Partial<LinkedRecord>): LinkedRecord => ({
  id: 'x',
  relation: 'decides',
  direction: 'from',
  kind: 'case-event',
  eventType: null,
  occurredAt: null,
  receivedAt: new Date('2026-11-20T10:00:00Z'),
  decisionKind: null,
  ...o,
});

describe('adviceChain', () => {
  const advice = { id: 'adv', receivedAt: new Date('2026-11-20T09:00:00Z') };

  it('orders the steps by when they happened, in UTC whatever offset ZSM sent', () => {
    const chain = adviceChain(
      advice,
      [
        link({ id: 'dec', relation: 'decides', occurredAt: '2026-11-20T12:30:00+01:00', decisionKind: 'sepot' }), // 11:30 UTC
        link({ id: 'req', relation: 'answers', direction: 'to', occurredAt: '2026-11-20T08:00:00Z' }),
        link({ id: 'con', relation: 'consults', occurredAt: '2026-11-20T10:15:00Z' }),
      ],
      [{ recipient: 'om-zsm', topic: 't', eventId: 'e', deliveredAt: new Date('2026-11-20T09:00:02Z'), attempts: 1, lastError: null }],
    );
    expect(chain).toEqual([
      { step: 'requested', at: '2026-11-20T08:00:00.000Z', recordId: 'req' },
      { step: 'advice-accepted', at: '2026-11-20T09:00:00.000Z', recordId: 'adv' },
      { step: 'advice-delivered', at: '2026-11-20T09:00:02.000Z', recordId: 'adv' },
      { step: 'consulted', at: '2026-11-20T10:15:00.000Z', recordId: 'con' },
      { step: 'decided', at: '2026-11-20T11:30:00.000Z', recordId: 'dec', detail: 'sepot' },
    ]);
  });

  it('shows no delivery while a recipient still waits', () => {
    const chain = adviceChain(
      advice,
      [],
      [
        { recipient: 'om-zsm', topic: 't', eventId: 'e1', deliveredAt: new Date('2026-11-20T09:00:02Z'), attempts: 1, lastError: null },
        { recipient: 'reclassering', topic: 't2', eventId: 'e2', deliveredAt: null, attempts: 3, lastError: 'broker away' },
      ],
    );
    expect(chain.map((c) => c.step)).toEqual(['advice-accepted']);
  });
});
