import type { Kysely, Transaction } from 'kysely';
import type { z } from 'zod';
import { AppError } from '../../../shared/errors.ts';
import type { TWorkspaceSettings, ZUpdateWorkspaceSettingsRequest } from '../../../shared/schemas/auth.ts';
import { requirePermission, type TActor } from '../../access/access.ts';
import type { DB } from '../../db/types.ts';
import type { TServiceDeps } from '../../services.ts';
import { settingsRepository } from './settings.repository.ts';

type TSettingsRow = Awaited<ReturnType<typeof settingsRepository.get>>;

const mapSettings = (row: TSettingsRow): TWorkspaceSettings => ({
  name: row.name,
  timeZone: row.time_zone,
  locale: row.locale as 'ru' | 'en',
  targets: {
    csat: Number(row.target_csat),
    responseRate: Number(row.target_response_rate),
    resolutionRate: Number(row.target_resolution_rate),
  },
  autoCloseDays: row.auto_close_days,
  version: row.version,
});

export const createSettingsService = ({ database }: TServiceDeps) => {
  const { db } = database;
  return {
    /**
     * Workspace settings without an access check, for other services (time zone, targets);
     * inside a transaction pass it, or PGlite's single connection waits on itself.
     */
    current: async (executor: Kysely<DB> | Transaction<DB> = db): Promise<TWorkspaceSettings> =>
      mapSettings(await settingsRepository.get(executor)),

    get: async (actor: TActor) => {
      requirePermission(actor, 'settings.read');
      return mapSettings(await settingsRepository.get(db));
    },

    update: async (
      actor: TActor,
      input: z.infer<typeof ZUpdateWorkspaceSettingsRequest>,
      ifMatch?: number,
    ) => {
      requirePermission(actor, 'settings.manage');
      const updated = await settingsRepository.update(
        db,
        {
          ...(input.name !== undefined && { name: input.name }),
          ...(input.timeZone !== undefined && { time_zone: input.timeZone }),
          ...(input.locale !== undefined && { locale: input.locale }),
          ...(input.autoCloseDays !== undefined && { auto_close_days: input.autoCloseDays }),
          ...(input.targets?.csat !== undefined && { target_csat: input.targets.csat }),
          ...(input.targets?.responseRate !== undefined && {
            target_response_rate: input.targets.responseRate,
          }),
          ...(input.targets?.resolutionRate !== undefined && {
            target_resolution_rate: input.targets.resolutionRate,
          }),
        },
        ifMatch,
      );
      if (!updated) throw new AppError('VERSION_CONFLICT');
      return mapSettings(await settingsRepository.get(db));
    },
  };
};

export type TSettingsService = ReturnType<typeof createSettingsService>;
