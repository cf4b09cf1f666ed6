import { z } from 'zod';
import {
  EMAIL_AUTO_ACK_JOB,
  EMAIL_SEND_ATTEMPTS,
  EMAIL_SEND_JOB,
} from '../channels/email/outbound.service.ts';
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
  queue.register(
    defineJob({
      name: EMAIL_SEND_JOB,
      payload: z.object({ emailMessageId: z.number().int().positive() }),
      maxAttempts: EMAIL_SEND_ATTEMPTS,
      handler: async ({ emailMessageId }, ctx) => {
        await services.email.deliver(emailMessageId, { attempt: ctx.attempt, maxAttempts: ctx.maxAttempts });
      },
    }),
  );
  queue.register(
    defineJob({
      name: EMAIL_AUTO_ACK_JOB,
      payload: z.object({
        mailboxId: z.number().int().positive(),
        ticketId: z.number().int().positive(),
        emailMessageId: z.number().int().positive(),
      }),
      handler: async (payload) => {
        await services.email.autoAcknowledge(payload);
      },
    }),
  );
  queue.schedule('tickets.auto-close', {}, 600);
  queue.schedule('sessions.cleanup', {}, 3600);
};
