import { ConfigError, loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { startServer } from './server.ts';

const main = async () => {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`tourdesk: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  const running = await startServer(config, logger);
  const { bootstrap } = running;

  console.log(`\n  tourdesk is running at ${running.url}  (database: ${running.database.kind})`);
  console.log(`  API reference: ${running.url}/api/docs`);
  if (running.smtp) console.log(`  Inbound SMTP on ${config.smtp.host}:${running.smtp.port}`);
  console.log('');
  if (bootstrap.demo) {
    console.log('  Demo workspace created. Sign in with any of these (password for all: demo12345):');
    for (const login of bootstrap.demo.logins) console.log(`    ${login.role.padEnd(18)} ${login.email}`);
    console.log('');
  }
  if (bootstrap.admin?.generatedPassword) {
    console.log(`  Admin created: ${bootstrap.admin.email}`);
    console.log(`  Generated password (shown once): ${bootstrap.admin.generatedPassword}\n`);
  } else if (bootstrap.admin) {
    console.log(`  Admin created: ${bootstrap.admin.email} (password from TOURDESK_ADMIN_PASSWORD)\n`);
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => process.exit(1), 15_000);
    timer.unref();
    await running.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
};

main().catch((error: unknown) => {
  console.error('tourdesk failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
