import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { z } from 'zod';
import { createApp } from '../src/server/app.ts';
import { loadConfig, type TConfig } from '../src/server/config.ts';
import { JobQueue, type TJobQueueOptions } from '../src/server/jobs/queue.ts';
import { registerJobs } from '../src/server/jobs/registry.ts';
import { createSecrets } from '../src/server/lib/secrets.ts';
import { createDiskStorage } from '../src/server/lib/storage.ts';
import { createLogger } from '../src/server/logger.ts';
import type { TTokenRole } from '../src/shared/enums.ts';
import { createTestDatabase, type TTestDatabase } from './database.ts';

export const PASSWORD = 'password-123';

export type TRequestOptions = {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
  rawBody?: string;
};

/** A whole tourdesk app in-process on a fresh database, with a user and an API token per role. */
export const createTestApp = async (
  options: {
    clock?: () => Date;
    config?: Partial<TConfig>;
    /** Options of the app's job queue (a zero backoff, say); tests run jobs with `queue.runDue()`. */
    queue?: Partial<Omit<TJobQueueOptions, 'database' | 'logger'>>;
  } = {},
) => {
  const database: TTestDatabase = await createTestDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tourdesk-test-'));
  const config: TConfig = {
    ...loadConfig({ TOURDESK_DATA_DIR: dataDir, LOG_LEVEL: 'silent' }),
    ...options.config,
  };
  const logger = createLogger('silent');
  const queue = new JobQueue({ ...options.queue, database, logger });
  const secrets = createSecrets(randomUUID());
  const built = createApp({
    database,
    config,
    logger,
    secrets,
    storage: createDiskStorage(path.join(dataDir, 'attachments')),
    queue,
    clock: options.clock,
  });
  const { services } = built;
  // Every job type is known, as in production, so services can enqueue; nothing runs unless a test asks.
  registerJobs(queue, services);

  const roles: TTokenRole[] = ['admin', 'supervisor', 'agent', 'department_member', 'integration'];
  const users: Record<string, { id: number; email: string }> = {};
  const tokens = {} as Record<TTokenRole, string>;
  for (const role of roles) {
    if (role !== 'integration') {
      const email = `${role.replace('_', '-')}@test.local`;
      const user = await services.users.create('system', {
        email,
        name: `Test ${role}`,
        role,
        password: PASSWORD,
        department: role === 'department_member' ? 'finance' : undefined,
      });
      users[role] = { id: user.id, email };
    }
    tokens[role] = (await services.auth.createToken('system', { name: `${role} token`, role })).token;
  }

  const request = async (method: string, url: string, o: TRequestOptions = {}) => {
    const headers: Record<string, string> = { ...o.headers };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    let body: string | undefined = o.rawBody;
    if (o.body !== undefined) {
      body = JSON.stringify(o.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await built.app.request(url, { method, headers, body });
    const text = await res.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = text;
    }
    const errorCode = (json as { error?: { code?: string } } | null)?.error?.code ?? null;
    return {
      status: res.status,
      headers: res.headers,
      json,
      errorCode,
      /** The body parsed through its response schema: the wire shape is checked, not assumed. */
      parse: <T>(schema: z.ZodType<T>): T => schema.parse(json),
    };
  };

  return {
    ...built,
    database,
    config,
    queue,
    secrets,
    users,
    tokens,
    request,
    close: async () => {
      await queue.stop();
      await built.hub.stop();
      await database.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
};

export type TTestApp = Awaited<ReturnType<typeof createTestApp>>;
