import { createHash, randomBytes } from 'node:crypto';
import type { TTokenRole, TUserRole } from '../../../shared/enums.ts';
import { AppError } from '../../../shared/errors.ts';
import type { TCreateApiTokenRequest, TMe } from '../../../shared/schemas/auth.ts';
import { actorUserId, ROLE_PERMISSIONS, requirePermission, type TActor } from '../../access/access.ts';
import type { TServiceDeps } from '../../services.ts';
import { mapUser } from '../users/user.mapper.ts';
import { userRepository } from '../users/user.repository.ts';
import { authRepository } from './auth.repository.ts';
import { hashPassword, verifyPassword } from './password.ts';

const MAX_FAILED_LOGINS = 5;
const LOCKOUT_MINUTES = 15;
// Refresh the sliding expiry at most this often, so reads do not write on every request.
const TOUCH_INTERVAL_MS = 5 * 60_000;
// A fixed hash to verify against when the email is unknown, so timing does not reveal accounts.
const DUMMY_HASH = hashPassword('tourdesk-dummy-password');

export const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

const TOKEN_PREFIX = 'tdk_';

const mapToken = (row: {
  id: number;
  name: string;
  role: string;
  prefix: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}) => ({
  id: row.id,
  name: row.name,
  role: row.role as TTokenRole,
  prefix: row.prefix,
  createdAt: row.created_at.toISOString(),
  lastUsedAt: row.last_used_at?.toISOString() ?? null,
  revokedAt: row.revoked_at?.toISOString() ?? null,
});

export const createAuthService = ({ database, clock, config }: TServiceDeps) => {
  const { db } = database;
  const sessionMs = config.sessionDays * 24 * 3600_000;

  return {
    /** Verifies credentials with lockout after repeated failures; returns a new session's secrets. */
    login: async (email: string, password: string) => {
      const user = await userRepository.findByEmail(db, email.trim());
      const now = clock();
      if (!user?.password_hash || !user.is_active) {
        await verifyPassword(await DUMMY_HASH, password);
        throw new AppError('INVALID_CREDENTIALS');
      }
      if (user.locked_until && user.locked_until > now) {
        throw new AppError('ACCOUNT_LOCKED', 'Too many failed attempts; try again later', {
          lockedUntil: user.locked_until.toISOString(),
        });
      }
      if (!(await verifyPassword(user.password_hash, password))) {
        // Only failures within the lockout window add up.
        const recent =
          user.last_failed_login_at !== null &&
          now.getTime() - user.last_failed_login_at.getTime() < LOCKOUT_MINUTES * 60_000;
        const failures = (recent ? user.failed_logins : 0) + 1;
        const lock =
          failures >= MAX_FAILED_LOGINS ? new Date(now.getTime() + LOCKOUT_MINUTES * 60_000) : null;
        await userRepository.recordLoginFailure(db, user.id, failures, lock, now);
        throw new AppError('INVALID_CREDENTIALS');
      }
      const sessionId = randomBytes(32).toString('base64url');
      const csrfToken = randomBytes(24).toString('base64url');
      const expiresAt = new Date(now.getTime() + sessionMs);
      await db.transaction().execute(async (trx) => {
        await userRepository.recordLoginSuccess(trx, user.id);
        await authRepository.insertSession(trx, {
          id_hash: sha256(sessionId),
          user_id: user.id,
          csrf_token: csrfToken,
          expires_at: expiresAt,
        });
      });
      return { sessionId, csrfToken, expiresAt, userId: user.id };
    },

    logout: async (sessionId: string) => {
      await authRepository.deleteSession(db, sha256(sessionId));
    },

    /** The actor behind a session cookie, or null when it is unknown or expired. */
    resolveSession: async (sessionId: string): Promise<{ actor: TActor; csrfToken: string } | null> => {
      const idHash = sha256(sessionId);
      const row = await authRepository.findSession(db, idHash);
      const now = clock();
      if (!row?.is_active || row.expires_at <= now) return null;
      if (now.getTime() - row.last_seen_at.getTime() > TOUCH_INTERVAL_MS) {
        await authRepository.touchSession(db, idHash, now, new Date(now.getTime() + sessionMs));
      }
      return {
        actor: {
          kind: 'user',
          userId: row.user_id,
          role: row.role as TUserRole,
          name: row.name,
          viaSession: true,
        },
        csrfToken: row.csrf_token,
      };
    },

    /** The actor behind a bearer API token, or null when it is unknown or revoked. */
    resolveToken: async (token: string): Promise<TActor | null> => {
      if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
      const row = await authRepository.findTokenByHash(db, sha256(token));
      if (!row || row.revoked_at) return null;
      const now = clock();
      if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() > TOUCH_INTERVAL_MS) {
        await authRepository.touchToken(db, row.id, now);
      }
      return { kind: 'token', tokenId: row.id, role: row.role as TTokenRole, name: row.name };
    },

    me: async (actor: TActor, csrfToken: string | null): Promise<TMe> => {
      const userRow = actor.kind === 'user' ? await userRepository.findById(db, actor.userId) : undefined;
      return {
        user: userRow ? mapUser(userRow) : null,
        actor: { kind: actor.kind, role: actor.role, name: actor.name },
        permissions: [...ROLE_PERMISSIONS[actor.role]].sort(),
        csrfToken,
      };
    },

    changeOwnPassword: async (actor: TActor, currentPassword: string | undefined, newPassword: string) => {
      const userId = actorUserId(actor);
      if (userId === null) throw new AppError('FORBIDDEN', 'Only a signed-in user has a password');
      const row = await userRepository.findById(db, userId);
      if (
        !row?.password_hash ||
        !currentPassword ||
        !(await verifyPassword(row.password_hash, currentPassword))
      ) {
        throw new AppError('INVALID_CREDENTIALS', 'Current password is wrong');
      }
      await userRepository.update(db, userId, { password_hash: await hashPassword(newPassword) });
    },

    createToken: async (actor: TActor | 'system', input: TCreateApiTokenRequest) => {
      if (actor !== 'system') requirePermission(actor, 'token.manage');
      const token = `${TOKEN_PREFIX}${randomBytes(30).toString('base64url')}`;
      const row = await authRepository.insertToken(db, {
        name: input.name,
        role: input.role,
        token_hash: sha256(token),
        prefix: token.slice(0, 10),
        created_by: actor === 'system' ? null : actorUserId(actor),
      });
      return { ...mapToken(row), token };
    },

    listTokens: async (actor: TActor) => {
      requirePermission(actor, 'token.manage');
      return (await authRepository.listTokens(db)).map(mapToken);
    },

    revokeToken: async (actor: TActor, id: number) => {
      requirePermission(actor, 'token.manage');
      const revoked = await authRepository.revokeToken(db, id, clock());
      if (!revoked) throw new AppError('TOKEN_NOT_FOUND');
    },

    deleteExpiredSessions: () => authRepository.deleteExpiredSessions(db, clock()),
  };
};

export type TAuthService = ReturnType<typeof createAuthService>;
