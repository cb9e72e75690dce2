// The register of processing activities: every activity the bridge logs under has an absolute, versioned URI in
// it; one the register lacks stops the start, naming it.
import { describe, expect, it } from 'vitest';
import { activityRegister, DEFAULT_REGISTER_FILE, DEFAULT_REGISTER_URL, loadActivityRegister } from '../../../src/exchange/activity-register.ts';
import { DEFAULT_POLICY_FILE, loadExchangePolicy, PolicyError } from '../../../src/exchange/policy-load.ts';
import { kindSchemas } from '../../../src/ingest/kinds/index.ts';

describe('the register of processing activities', () => {
  it('shipped with the project holds every activity the default policy names, each an absolute URI under the base', () => {
    const policy = loadExchangePolicy(DEFAULT_POLICY_FILE, kindSchemas());
    const used = [
      ...Object.values(policy.kinds).map((k) => k.processingActivity),
      ...Object.values(policy.processingActivities).map((a) => a.processingActivity),
    ];
    const register = loadActivityRegister(DEFAULT_REGISTER_FILE, DEFAULT_REGISTER_URL, used);
    for (const activity of used) {
      const uri = new URL(register.uriOf(activity));
      expect(uri.href.startsWith(DEFAULT_REGISTER_URL), activity).toBe(true);
      expect(uri.pathname).toMatch(/\/[a-z-]+\/\d+$/);
    }
  });

  it('names each activity in use that it lacks, and each entry without a usable path', () => {
    const entries = [
      { id: 'urn:a', path: 'a/1', name: 'a' },
      { id: 'urn:b', path: '../b', name: 'b' },
    ];
    try {
      activityRegister(entries, 'https://r.example/x/', ['urn:a', 'urn:c']);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(PolicyError);
      expect((err as PolicyError).problems).toEqual([
        'activities[1] needs an id and a relative path of lower-case segments',
        'urn:c is used by the bridge but not in the register',
      ]);
    }
  });

  it('resolves under the configured base, with or without its final slash', () => {
    const entries = [{ id: 'urn:a', path: 'a/2', name: 'a' }];
    expect(activityRegister(entries, 'https://r.example/x/', ['urn:a']).uriOf('urn:a')).toBe('https://r.example/x/a/2');
    expect(activityRegister(entries, 'https://r.example/x', ['urn:a']).uriOf('urn:a')).toBe('https://r.example/x/a/2');
    expect(() => activityRegister(entries, 'https://r.example/x/', []).uriOf('urn:z')).toThrow(/not in the register/);
  });
});
