import { describe, expect, it } from 'vitest';
import { createToken, keyIdOf, parseHashLine, TokenVerifier } from '../../../src/auth/tokens.ts';

describe('bearer tokens', () => {
  it('are made with a scrypt hash line that verifies them, and only them', async () => {
    const { token, hashLine } = await createToken();
    expect(token).toMatch(/^gzb_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(hashLine).toMatch(/^scrypt\$[0-9a-f]{16}\$15\$8\$1\$/);
    expect(hashLine).not.toContain(token.slice(21)); // the secret is not in the line
    const parsed = parseHashLine(hashLine)!;
    expect(parsed.keyId).toBe(keyIdOf(token));
    const verifier = new TokenVerifier([parsed]);
    expect(await verifier.verify(token)).toBe(parsed.keyId);
    expect(await verifier.verify(token)).toBe(parsed.keyId); // from the cache
  });

  it('refuses a prefix, a change of case, an extra character, and another token under the same key id', async () => {
    const { token, hashLine } = await createToken();
    const other = await createToken();
    const verifier = new TokenVerifier([parseHashLine(hashLine)!]);
    const letter = [...token].findLastIndex((c) => /[a-z]/.test(c));
    const cased = token.slice(0, letter) + token[letter]!.toUpperCase() + token.slice(letter + 1);
    const sameKeyId = token.slice(0, 21) + other.token.slice(21);
    // Before the right token was ever seen (scrypt path) ...
    for (const wrong of [token.slice(0, -1), cased, `${token}a`, sameKeyId, token.toUpperCase(), '', 'gzb_'])
      expect(await verifier.verify(wrong), wrong).toBeUndefined();
    // ... and after (cache path).
    expect(await verifier.verify(token)).toBeDefined();
    for (const wrong of [cased, sameKeyId]) expect(await verifier.verify(wrong)).toBeUndefined();
    expect(await new TokenVerifier([]).verify(token)).toBeUndefined();
  });

  it('refuses hash lines that are malformed or too cheap', async () => {
    const { hashLine } = await createToken({ log2N: 14, r: 8, p: 1 });
    expect(parseHashLine(hashLine)).toBeDefined();
    expect(parseHashLine(hashLine.replace('$14$', '$10$'))).toBeUndefined();
    expect(parseHashLine(hashLine.replace('scrypt$', 'bcrypt$'))).toBeUndefined();
    expect(parseHashLine(`${hashLine}x`)).toBeUndefined();
    expect(parseHashLine('gzb_0123456789abcdef_secret')).toBeUndefined();
  });
});
