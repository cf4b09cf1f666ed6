import type { Kysely, Transaction } from 'kysely';
import type { z } from 'zod';
import { AppError } from '../../../shared/errors.ts';
import type { TGroup, ZCreateGroupRequest, ZUpdateGroupRequest } from '../../../shared/schemas/auth.ts';
import { requirePermission, type TActor } from '../../access/access.ts';
import type { DB } from '../../db/types.ts';
import type { TServiceDeps } from '../../services.ts';
import { groupRepository, type TGroupRow } from './group.repository.ts';

const mapGroup = (row: TGroupRow): TGroup => ({
  id: row.id,
  name: row.name,
  description: row.description,
  memberIds: [...row.member_ids].sort((a, b) => a - b),
  version: row.version,
});

const isUniqueViolation = (error: unknown) => (error as { code?: string })?.code === '23505';

export const createGroupService = ({ database }: TServiceDeps) => {
  const { db } = database;

  const requireUsers = async (executor: Kysely<DB> | Transaction<DB>, ids: number[] | undefined) => {
    if (!ids?.length) return;
    const found = await groupRepository.existingUserIds(executor, ids);
    const missing = ids.find((id) => !found.includes(id));
    if (missing !== undefined) throw new AppError('USER_NOT_FOUND', `Unknown user ${missing}`);
  };

  const get = async (executor: Kysely<DB> | Transaction<DB>, id: number) => {
    const row = await groupRepository.findById(executor, id);
    if (!row) throw new AppError('GROUP_NOT_FOUND');
    return mapGroup(row);
  };

  const save = async (id: number | null, input: z.infer<typeof ZUpdateGroupRequest>) => {
    try {
      return await db.transaction().execute(async (trx) => {
        await requireUsers(trx, input.memberIds);
        let groupId = id;
        if (groupId === null) {
          groupId = (
            await groupRepository.insert(trx, { name: input.name!, description: input.description ?? '' })
          ).id;
        } else {
          if (!(await groupRepository.exists(trx, groupId))) throw new AppError('GROUP_NOT_FOUND');
          await groupRepository.update(trx, groupId, {
            ...(input.name !== undefined && { name: input.name }),
            ...(input.description !== undefined && { description: input.description }),
          });
        }
        if (input.memberIds) await groupRepository.setMembers(trx, groupId, input.memberIds);
        return get(trx, groupId);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError('GROUP_NAME_TAKEN', 'A group with this name exists');
      throw error;
    }
  };

  return {
    list: async (actor: TActor) => {
      requirePermission(actor, 'group.read');
      return (await groupRepository.list(db)).map(mapGroup);
    },
    get: async (actor: TActor, id: number) => {
      requirePermission(actor, 'group.read');
      return get(db, id);
    },
    create: async (actor: TActor, input: z.infer<typeof ZCreateGroupRequest>) => {
      requirePermission(actor, 'group.manage');
      return save(null, input);
    },
    update: async (
      actor: TActor,
      id: number,
      input: z.infer<typeof ZUpdateGroupRequest>,
      ifMatch?: number,
    ) => {
      requirePermission(actor, 'group.manage');
      const current = await get(db, id);
      if (ifMatch !== undefined && ifMatch !== current.version) throw new AppError('VERSION_CONFLICT');
      return save(id, input);
    },
    exists: (executor: Kysely<DB> | Transaction<DB>, id: number) => groupRepository.exists(executor, id),
  };
};

export type TGroupService = ReturnType<typeof createGroupService>;
