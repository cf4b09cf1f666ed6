import type { Kysely, Transaction } from 'kysely';
import { AppError } from '../../../shared/errors.ts';
import type { TCreateUserRequest, TUpdateUserRequest, TUser } from '../../../shared/schemas/auth.ts';
import { requirePermission, type TActor } from '../../access/access.ts';
import type { DB } from '../../db/types.ts';
import { encodeCursor } from '../../lib/cursor.ts';
import type { TServiceDeps } from '../../services.ts';
import { hashPassword } from '../auth/password.ts';
import { mapUser } from './user.mapper.ts';
import { userRepository } from './user.repository.ts';

const isUniqueViolation = (error: unknown): boolean => (error as { code?: string })?.code === '23505';

export const createUserService = ({ database }: TServiceDeps) => {
  const { db } = database;

  const requireGroups = async (groupIds: number[] | undefined) => {
    if (!groupIds?.length) return;
    const found = await userRepository.existingGroupIds(db, groupIds);
    const missing = groupIds.filter((id) => !found.includes(id));
    if (missing.length > 0) throw new AppError('GROUP_NOT_FOUND', `Unknown group ${missing[0]}`);
  };

  const get = async (id: number): Promise<TUser> => {
    const row = await userRepository.findById(db, id);
    if (!row) throw new AppError('USER_NOT_FOUND');
    return mapUser(row);
  };

  return {
    get: async (actor: TActor, id: number) => {
      requirePermission(actor, 'user.read');
      return get(id);
    },

    list: async (actor: TActor, options: { limit: number; afterId?: number; role?: string }) => {
      requirePermission(actor, 'user.read');
      const rows = await userRepository.list(db, options);
      const page = rows.slice(0, options.limit);
      return {
        items: page.map(mapUser),
        nextCursor: rows.length > options.limit ? encodeCursor([page.at(-1)!.id]) : null,
      };
    },

    /** Creates a user; also used by start-up and the CLI with the system actor. */
    create: async (actor: TActor | 'system', input: TCreateUserRequest): Promise<TUser> => {
      if (actor !== 'system') requirePermission(actor, 'user.manage');
      await requireGroups(input.groupIds);
      const passwordHash = input.password ? await hashPassword(input.password) : null;
      try {
        const id = await db.transaction().execute(async (trx) => {
          const { id } = await userRepository.insert(trx, {
            email: input.email.toLowerCase(),
            name: input.name,
            role: input.role,
            password_hash: passwordHash,
            department: input.department ?? null,
            locale: input.locale ?? 'ru',
          });
          await userRepository.setGroups(trx, id, input.groupIds ?? []);
          return id;
        });
        return get(id);
      } catch (error) {
        if (isUniqueViolation(error)) throw new AppError('EMAIL_TAKEN', 'A user with this email exists');
        throw error;
      }
    },

    update: async (
      actor: TActor,
      id: number,
      input: TUpdateUserRequest,
      ifMatch?: number,
    ): Promise<TUser> => {
      requirePermission(actor, 'user.manage');
      const current = await userRepository.findById(db, id);
      if (!current) throw new AppError('USER_NOT_FOUND');
      if (ifMatch !== undefined && ifMatch !== current.version) throw new AppError('VERSION_CONFLICT');
      await requireGroups(input.groupIds);
      const passwordHash = input.password ? await hashPassword(input.password) : undefined;
      await db.transaction().execute(async (trx) => {
        await userRepository.update(trx, id, {
          ...(input.name !== undefined && { name: input.name }),
          ...(input.role !== undefined && { role: input.role }),
          ...(input.department !== undefined && { department: input.department }),
          ...(input.locale !== undefined && { locale: input.locale }),
          ...(input.isActive !== undefined && { is_active: input.isActive }),
          ...(passwordHash !== undefined && {
            password_hash: passwordHash,
            failed_logins: 0,
            locked_until: null,
          }),
        });
        if (input.groupIds) await userRepository.setGroups(trx, id, input.groupIds);
        if (input.isActive === false || passwordHash !== undefined) {
          await userRepository.deleteSessions(trx, id);
        }
      });
      return get(id);
    },

    updateOwnProfile: async (actor: TActor, input: { name?: string; locale?: string }) => {
      if (actor.kind !== 'user') throw new AppError('FORBIDDEN');
      await userRepository.update(db, actor.userId, {
        ...(input.name !== undefined && { name: input.name }),
        ...(input.locale !== undefined && { locale: input.locale }),
      });
      return get(actor.userId);
    },

    count: () => userRepository.count(db),

    /** An active user by id, for assignment checks in other modules. */
    findActive: async (executor: Kysely<DB> | Transaction<DB>, id: number) => {
      const row = await userRepository.findById(executor, id);
      return row?.is_active ? row : undefined;
    },
  };
};

export type TUserService = ReturnType<typeof createUserService>;
