/** Identifiers in the forms AWS uses. */
import { randomBytes, createHash } from 'node:crypto';

const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** `n` random characters from A-Z and 2-7 (the alphabet of AWS key and unique ids). */
export function randomUpperId(n: number): string {
  const bytes = randomBytes(n);
  let out = '';
  for (let i = 0; i < n; i++) out += UPPER_ALNUM[bytes[i] & 31];
  return out;
}

/** A stable id of `n` such characters derived from a seed (same seed, same id). */
export function stableUpperId(seed: string, n: number): string {
  const bytes = createHash('sha256').update(seed).digest();
  let out = '';
  for (let i = 0; i < n; i++) out += UPPER_ALNUM[bytes[i % bytes.length] & 31];
  return out;
}

/** A secret access key: 40 characters of base64 without padding. */
export function secretAccessKey(): string {
  return randomBytes(30).toString('base64');
}

/** A session token: opaque base64 text of AWS's typical length. */
export function sessionToken(): string {
  return 'FwoGZXIvYXdzE' + randomBytes(264).toString('base64');
}
