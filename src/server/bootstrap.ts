import { randomBytes } from 'node:crypto';
import type { TConfig } from './config.ts';
import type { TDatabase } from './db/database.ts';
import type { TLogger } from './logger.ts';
import { seedDemo, type TDemoSummary } from './modules/demo/demo.seed.ts';
import type { TServices } from './services.ts';

export type TBootstrapResult = {
  demo: TDemoSummary | null;
  admin: { email: string; generatedPassword: string | null } | null;
};

/** Whether this start should seed the demo: embedded by default, a server only when asked. */
export const wantsDemo = (config: TConfig): boolean => config.demo ?? !config.databaseUrl;

/**
 * First start on an empty database: the demo workspace (when wanted) and the admin from
 * TOURDESK_ADMIN_EMAIL / TOURDESK_ADMIN_PASSWORD, or with a generated password shown once.
 */
export const bootstrapWorkspace = async (options: {
  config: TConfig;
  database: TDatabase;
  services: TServices;
  logger: TLogger;
}): Promise<TBootstrapResult> => {
  const { config, database, services } = options;
  if ((await services.users.count()) > 0) return { demo: null, admin: null };
  const demo = wantsDemo(config) ? await seedDemo(database.db) : null;
  if (demo && !config.adminEmail) return { demo, admin: null };
  const email = config.adminEmail ?? 'admin@tourdesk.local';
  const generatedPassword = config.adminPassword ? null : randomBytes(12).toString('base64url');
  await services.users.create('system', {
    email,
    name: 'Administrator',
    role: 'admin',
    password: config.adminPassword ?? generatedPassword!,
  });
  return { demo, admin: { email, generatedPassword } };
};
