import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import type { TDatabase } from '../db/database.ts';
import type { TLogger } from '../logger.ts';

/**
 * Encryption of stored secrets (mailbox passwords) and signatures (reply tokens), all from
 * one master key: TOURDESK_SECRET_KEY, or one this installation generated and keeps in
 * `instance_secrets` (see docs/decisions/0008-secret-key.md).
 */
export type TSecrets = {
  encrypt: (plain: string) => string;
  /** Throws on a value that was not made with this key or was altered. */
  decrypt: (sealed: string) => string;
  /** A hex HMAC of `data`, `length` characters long. */
  sign: (data: string, length?: number) => string;
  verify: (data: string, signature: string) => boolean;
};

const derive = (master: string, purpose: string) =>
  Buffer.from(hkdfSync('sha256', Buffer.from(master, 'utf8'), Buffer.alloc(0), `tourdesk:${purpose}`, 32));

export const createSecrets = (masterKey: string): TSecrets => {
  const encKey = derive(masterKey, 'encrypt');
  const signKey = derive(masterKey, 'sign');
  const sign = (data: string, length = 64) =>
    createHmac('sha256', signKey).update(data, 'utf8').digest('hex').slice(0, length);
  return {
    encrypt: (plain) => {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', encKey, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return ['v1', iv, cipher.getAuthTag(), body]
        .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
        .join('.');
    },
    decrypt: (sealed) => {
      const [version, iv, tag, body] = sealed.split('.');
      if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('Not a sealed secret');
      const decipher = createDecipheriv('aes-256-gcm', encKey, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
        'utf8',
      );
    },
    sign,
    verify: (data, signature) => {
      if (!/^[0-9a-f]{8,64}$/.test(signature)) return false;
      const expected = Buffer.from(sign(data, signature.length));
      return timingSafeEqual(expected, Buffer.from(signature));
    },
  };
};

/** The master key: the configured one, else the installation's own (generated once, race-safe). */
export const loadSecrets = async (
  database: TDatabase,
  configured: string | undefined,
  logger: TLogger,
): Promise<TSecrets> => {
  if (configured) return createSecrets(configured);
  const { db } = database;
  await db
    .insertInto('instance_secrets')
    .values({ name: 'master_key', value: randomBytes(32).toString('base64url') })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await db
    .selectFrom('instance_secrets')
    .select('value')
    .where('name', '=', 'master_key')
    .executeTakeFirstOrThrow();
  logger.warn(
    'TOURDESK_SECRET_KEY is not set: mailbox passwords are encrypted with a key kept in the database itself',
  );
  return createSecrets(row.value);
};
