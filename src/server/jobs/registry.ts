import { z } from 'zod';
import type { TServices } from '../services.ts';
import { defineJob, type JobQueue } from './queue.ts';

const ZEmpty = z.object({}).strict();

/** Registers every job of tourdesk and the recurring schedule. Handlers are idempotent. */
export const registerJobs = (queue: JobQueue, services: TServices): void => {
  queue.register(
    defineJob({
      name: 'tickets.auto-close',
      payload: ZEmpty,
      handler: async () => {
        await services.tickets.autoCloseSolved();
      },
    }),
  );
  queue.register(
    defineJob({
      name: 'sessions.cleanup',
      payload: ZEmpty,
      handler: async () => {
        await services.auth.deleteExpiredSessions();
      },
    }),
  );
  queue.schedule('tickets.auto-close', {}, 600);
  queue.schedule('sessions.cleanup', {}, 3600);
};
