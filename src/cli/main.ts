import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { createApp } from '../server/app.ts';
import { ConfigError, loadConfig } from '../server/config.ts';
import { openDatabase } from '../server/db/database.ts';
import { migrate } from '../server/db/migrate.ts';
import { JobQueue } from '../server/jobs/queue.ts';
import { createDiskStorage } from '../server/lib/storage.ts';
import { createLogger } from '../server/logger.ts';
import { seedDemo } from '../server/modules/demo/demo.seed.ts';
import { TOKEN_ROLES, type TTokenRole, type TUserRole, USER_ROLES } from '../shared/enums.ts';
import { AppError } from '../shared/errors.ts';

/** Opens the configured database (migrated) and the services over it, for one CLI command. */
const withServices = async <T>(
  run: (ctx: {
    services: ReturnType<typeof createApp>['services'];
    database: Awaited<ReturnType<typeof openDatabase>>;
  }) => Promise<T>,
): Promise<T> => {
  const config = loadConfig();
  const logger = createLogger('warn');
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: 2,
  });
  try {
    await migrate(database);
    const queue = new JobQueue({ database, logger });
    const { services } = createApp({
      database,
      config,
      logger,
      storage: createDiskStorage(path.resolve(config.dataDir, 'attachments')),
      queue,
    });
    return await run({ services, database });
  } finally {
    await database.close();
  }
};

const oneOf =
  <T extends string>(values: readonly T[]) =>
  (value: string): T => {
    if (!(values as readonly string[]).includes(value)) {
      throw new InvalidArgumentError(`must be one of: ${values.join(', ')}`);
    }
    return value as T;
  };

export const buildProgram = (): Command => {
  const program = new Command('tourdesk')
    .description(
      'tourdesk: customer care for a marketplace of authored tours.\nUses DATABASE_URL or the embedded database in TOURDESK_DATA_DIR (./data).',
    )
    .showHelpAfterError();

  program
    .command('migrate')
    .description('apply pending database migrations')
    .action(async () => {
      const config = loadConfig();
      const database = await openDatabase({
        databaseUrl: config.databaseUrl,
        dataDir: config.dataDir,
        poolSize: 1,
      });
      try {
        const applied = await migrate(database);
        console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Database is up to date.');
      } finally {
        await database.close();
      }
    });

  program
    .command('seed-demo')
    .description('fill an empty database with the demo workspace')
    .action(async () =>
      withServices(async ({ services, database }) => {
        if ((await services.users.count()) > 0) {
          throw new AppError(
            'BAD_REQUEST',
            'The database already has users; the demo goes only into an empty one.',
          );
        }
        const summary = await seedDemo(database.db);
        console.log(
          `Demo workspace: ${summary.tickets} tickets, ${summary.travelers} travelers, ${summary.tours} tours.`,
        );
        for (const login of summary.logins)
          console.log(`  ${login.role.padEnd(18)} ${login.email}  ${login.password}`);
      }),
    );

  const user = program.command('user').description('manage users');
  user
    .command('create')
    .description('create a user (agent, supervisor, admin or department member)')
    .requiredOption('--email <email>', 'sign-in email')
    .requiredOption('--name <name>', 'display name')
    .option('--role <role>', `one of ${USER_ROLES.join(', ')}`, oneOf(USER_ROLES), 'agent' as TUserRole)
    .option(
      '--password <password>',
      'password (at least 8 characters); read from TOURDESK_USER_PASSWORD if omitted',
    )
    .option('--department <department>', 'department of a department member')
    .action(
      async (o: { email: string; name: string; role: TUserRole; password?: string; department?: string }) =>
        withServices(async ({ services }) => {
          const password = o.password ?? process.env.TOURDESK_USER_PASSWORD;
          const created = await services.users.create('system', {
            email: o.email,
            name: o.name,
            role: o.role,
            password,
            department: o.department,
          });
          console.log(
            `Created ${created.role} #${created.id} ${created.email}${password ? '' : ' (no password: cannot sign in yet)'}`,
          );
        }),
    );

  const token = program.command('token').description('manage API tokens');
  token
    .command('create')
    .description('create an API token; it is printed once')
    .requiredOption('--name <name>', 'what the token is for')
    .option(
      '--role <role>',
      `one of ${TOKEN_ROLES.join(', ')}`,
      oneOf(TOKEN_ROLES),
      'integration' as TTokenRole,
    )
    .action(async (o: { name: string; role: TTokenRole }) =>
      withServices(async ({ services }) => {
        const created = await services.auth.createToken('system', { name: o.name, role: o.role });
        console.log(created.token);
      }),
    );

  return program;
};

const run = async () => {
  try {
    await buildProgram().parseAsync(process.argv);
  } catch (error) {
    if (error instanceof ConfigError || error instanceof AppError) {
      console.error(`tourdesk: ${error.message}`);
    } else {
      console.error('tourdesk:', error instanceof Error ? error.message : error);
    }
    process.exitCode = 1;
  }
};

await run();
