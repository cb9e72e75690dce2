// Bearer tokens: made once, shown once, stored only as a slow hash.
//
// A token is `gzb_<key id>_<secret>`: 8 random bytes as hex name the hash line to check against (so a request
// costs at most one scrypt, never one per configured client) and 32 random bytes of secret make guessing
// hopeless. The stored hash line is `scrypt$<key id>$<log2 N>$<r>$<p>$<salt>$<hash>` over the whole token.
import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export const TOKEN_PATTERN = /^gzb_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;
const HASH_LINE = /^scrypt\$([0-9a-f]{16})\$(\d{2})\$(\d{1,2})\$(\d{1,2})\$([A-Za-z0-9_-]{22,})\$([A-Za-z0-9_-]{43})$/;

/** Cost of new hashes: N = 2^15, r = 8 (32 MiB each, slow to guess on purpose). Lines below MIN_LOG2_N are refused. */
export const DEFAULT_COST = { log2N: 15, r: 8, p: 1 };
export const MIN_LOG2_N = 14;

export interface TokenHash {
  keyId: string;
  log2N: number;
  r: number;
  p: number;
  salt: Buffer;
  hash: Buffer;
}

function scrypt(token: string, salt: Buffer, cost: { log2N: number; r: number; p: number }): Promise<Buffer> {
  const N = 2 ** cost.log2N;
  const options: ScryptOptions = { N, r: cost.r, p: cost.p, maxmem: 256 * N * cost.r };
  // The async form runs on libuv's thread pool: a verification never blocks the event loop.
  return new Promise((resolve, reject) => scryptCb(token, salt, 32, options, (err, key) => (err ? reject(err) : resolve(key))));
}

/** A new token and the hash line to declare for it. The token is returned once and kept nowhere. */
export async function createToken(cost = DEFAULT_COST): Promise<{ token: string; hashLine: string }> {
  const keyId = randomBytes(8).toString('hex');
  const token = `gzb_${keyId}_${randomBytes(32).toString('base64url')}`;
  const salt = randomBytes(16);
  const hash = await scrypt(token, salt, cost);
  return {
    token,
    hashLine: ['scrypt', keyId, String(cost.log2N), String(cost.r), String(cost.p), salt.toString('base64url'), hash.toString('base64url')].join('$'),
  };
}

/** Parses a hash line; undefined when it is malformed or too cheap. */
export function parseHashLine(line: string): TokenHash | undefined {
  const m = HASH_LINE.exec(line);
  if (!m) return undefined;
  const [, keyId, n, r, p, salt, hash] = m;
  const parsed = { keyId: keyId!, log2N: Number(n), r: Number(r), p: Number(p), salt: Buffer.from(salt!, 'base64url'), hash: Buffer.from(hash!, 'base64url') };
  if (parsed.log2N < MIN_LOG2_N || parsed.log2N > 20 || parsed.r < 1 || parsed.r > 32 || parsed.p < 1 || parsed.p > 4 || parsed.hash.length !== 32)
    return undefined;
  return parsed;
}

/** The key id of a well-formed token; undefined for anything else (a prefix, another case, extra characters). */
export function keyIdOf(token: string): string | undefined {
  return TOKEN_PATTERN.exec(token)?.[1];
}

const sha256 = (s: string) => createHash('sha256').update(s).digest();

/**
 * Checks tokens against their hash lines. After one successful scrypt check the token's SHA-256 is remembered
 * per key id, so a client's later requests cost a hash, and a wrong token for a known key id is refused without
 * another scrypt: the cache holds at most one entry per declared hash line and nothing an attacker can grow.
 */
export class TokenVerifier {
  private readonly hashes: Map<string, TokenHash>;
  private readonly verified = new Map<string, Buffer>();

  constructor(hashes: Iterable<TokenHash>) {
    this.hashes = new Map([...hashes].map((h) => [h.keyId, h]));
  }

  /** The key id the token was verified under, or undefined when it is not a valid token. */
  async verify(token: string): Promise<string | undefined> {
    const keyId = keyIdOf(token);
    const line = keyId === undefined ? undefined : this.hashes.get(keyId);
    if (!keyId || !line) return undefined;
    const digest = sha256(token);
    const known = this.verified.get(keyId);
    if (known) return timingSafeEqual(known, digest) ? keyId : undefined;
    const derived = await scrypt(token, line.salt, line);
    if (!timingSafeEqual(derived, line.hash)) return undefined;
    this.verified.set(keyId, digest);
    return keyId;
  }
}
