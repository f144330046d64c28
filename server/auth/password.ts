import crypto from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(crypto.scrypt) as (password: crypto.BinaryLike, salt: crypto.BinaryLike, keylen: number, options: crypto.ScryptOptions) => Promise<Buffer>;
const KEY_LENGTH = 32;

export interface ScryptCost { N: number; r: number; p: number }

/** scrypt is memory-hard; the cost is stored with the hash so it can be raised later. */
export async function hashPassword(password: string, cost: ScryptCost): Promise<string> {
  const salt = crypto.randomBytes(16);
  const key = await scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, { ...cost, maxmem: 256 * cost.N * cost.r + 1024 * 1024 });
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const cost = { N: Number(n), r: Number(r), p: Number(p) };
  const expected = Buffer.from(key, 'base64');
  const actual = await scrypt(password.normalize('NFKC'), Buffer.from(salt, 'base64'), expected.length, { ...cost, maxmem: 256 * cost.N * cost.r + 1024 * 1024 });
  return crypto.timingSafeEqual(actual, expected);
}

/** A hash of a random password, so timing does not reveal whether a username exists. */
export async function makeDummyHash(cost: ScryptCost): Promise<string> {
  return hashPassword(crypto.randomBytes(16).toString('hex'), cost);
}
