/**
 * Core benchmark: seeds N tickets with ~5 messages each, then prints p50/p95 for the
 * inbox page, opening a ticket, a status update and a full-text search, through the
 * real HTTP app in-process (routing, auth, validation, SQL, mapping).
 *
 *   npm run bench                              # PGlite, 100k tickets
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench npm run bench -- --tickets 1000000
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import { createApp } from '../src/server/app.ts';
import { loadConfig } from '../src/server/config.ts';
import { openDatabase, type TDatabase } from '../src/server/db/database.ts';
import { migrate } from '../src/server/db/migrate.ts';
import { JobQueue } from '../src/server/jobs/queue.ts';
import { createDiskStorage } from '../src/server/lib/storage.ts';
import { createLogger } from '../src/server/logger.ts';

const { values: args } = parseArgs({
  options: {
    tickets: { type: 'string' },
    iterations: { type: 'string', default: '200' },
    'keep-data': { type: 'boolean', default: false },
    reuse: { type: 'boolean', default: false },
  },
});

const databaseUrl = process.env.DATABASE_URL;
const ticketCount = Number(args.tickets ?? (databaseUrl ? 1_000_000 : 100_000));
const iterations = Number(args.iterations);
const BATCH = 20_000;

const SUBJECTS = [
  'Возврат за отменённый тур',
  'Перенос даты поездки на Алтай',
  'Не прошла оплата картой',
  'Вопрос по бонусам',
  'Условия оферты для организаторов',
  'Выплата организатору задерживается',
  'Жалоба на качество тура по Карелии',
  'Cancel my Baikal tour',
  'Refund request for Georgia trip',
  'Изменить количество участников',
];
// Message text: one of many phrases plus a tour line, so that words are spread the way real
// correspondence spreads them (a query matches some messages, not every tenth one).
const PHRASES = [
  'Здравствуйте, хочу отменить тур и вернуть деньги.',
  'Оплата прошла дважды, прошу вернуть лишнее списание.',
  'Можно ли перенести поездку на следующий месяц?',
  'Организатор не выходит на связь, тур начинается через три дня.',
  'Сколько бонусов начислится за бронирование?',
  'Hello, I would like to cancel my booking and get a refund.',
  'Спасибо за помощь, вопрос решён.',
  'Подскажите, пожалуйста, условия возврата по оферте.',
  'Когда придёт выплата за прошедший тур?',
  'Нужно изменить данные участника в бронировании.',
  'Не могу войти в личный кабинет, пишет неверный пароль.',
  'Гид опоздал на встречу на два часа, прошу компенсацию.',
  'Добавьте, пожалуйста, ещё одного участника, ребёнка семи лет.',
  'Пришлите закрывающие документы для бухгалтерии.',
  'Is the transfer from the airport included in the price?',
  'Какой уровень физической подготовки нужен для этого маршрута?',
  'Прошу выставить счёт на юридическое лицо.',
  'Поменялась программа тура, хотим обсудить скидку.',
  'Не пришло письмо с подтверждением бронирования.',
  'Можно ли взять с собой собаку?',
  'Организатор отменил тур без объяснения причин.',
  'Where do we meet on the first day of the tour?',
  'Промокод не применяется при оплате.',
  'Списали деньги, а бронирование не подтвердилось.',
  'Хотим оставить отзыв о гиде, всё было отлично.',
];
const TOURS = [
  'Карелия: водопады и шхеры',
  'Алтай: Чуйский тракт',
  'Байкал: лёд и Ольхон',
  'Камчатка: вулканы и гейзеры',
  'Грузия: Тбилиси и Казбеги',
  'Армения: монастыри и Севан',
  'Мурманск: северное сияние',
  'Дагестан: Сулакский каньон',
  'Калининград и Куршская коса',
  'Териберка и Хибины',
  'Кавказ: Эльбрус',
  'Урал: Таганай',
  'Сахалин и Курилы',
  'Узбекистан: Самарканд и Бухара',
  'Плато Путорана',
  'Соловки',
  'Казань и Свияжск',
  'Крым: горы и море',
  'Абхазия: озеро Рица',
  'Ямал: стойбище оленеводов',
];

const pgArray = (items: string[]) =>
  sql.raw(`ARRAY[${items.map((s) => `'${s.replace(/'/g, "''")}'`).join(',')}]`);

const seed = async (database: TDatabase) => {
  const { db } = database;
  const existing = Number(
    (await sql<{ n: number }>`SELECT count(*)::int AS n FROM tickets`.execute(db)).rows[0].n,
  );
  if (existing >= ticketCount) {
    console.log(`reusing ${existing} tickets already in the database`);
    return;
  }
  const started = performance.now();
  const contactCount = Math.max(1000, Math.floor(ticketCount / 5));
  await sql`INSERT INTO groups (name) SELECT 'Группа ' || g FROM generate_series(1, 4) g ON CONFLICT DO NOTHING`.execute(
    db,
  );
  await sql`INSERT INTO users (email, name, role) SELECT 'agent' || g || '@bench.local', 'Агент ' || g, 'agent' FROM generate_series(1, 20) g ON CONFLICT DO NOTHING`.execute(
    db,
  );
  await sql`INSERT INTO contacts (kind, name) SELECT CASE WHEN g % 5 = 0 THEN 'organizer' ELSE 'traveler' END, 'Путешественник ' || g FROM generate_series(1, ${contactCount}) g`.execute(
    db,
  );
  await sql`INSERT INTO contact_identities (contact_id, channel, value) SELECT id, 'email', 'person' || id || '@bench.local' FROM contacts`.execute(
    db,
  );
  await sql`INSERT INTO tours (title, region) SELECT 'Тур ' || g, 'Регион ' || (g % 12) FROM generate_series(1, 300) g`.execute(
    db,
  );
  await sql`INSERT INTO tour_departures (tour_id, starts_on, ends_on) SELECT t.id, current_date + (g * 7 - 60), current_date + (g * 7 - 55) FROM tours t, generate_series(1, 5) g`.execute(
    db,
  );
  await sql`INSERT INTO bookings (code, traveler_id, departure_id, status, amount, paid_amount)
    SELECT 'B-' || c.id, c.id, 1 + (c.id % 1500), 'confirmed', 50000, 50000 FROM contacts c WHERE c.id % 2 = 0`.execute(
    db,
  );
  const [minContact] = (await sql<{ id: number }>`SELECT min(id)::int AS id FROM contacts`.execute(db)).rows;
  const [minGroup] = (await sql<{ id: number }>`SELECT min(id)::int AS id FROM groups`.execute(db)).rows;
  const [minUser] = (await sql<{ id: number }>`SELECT min(id)::int AS id FROM users`.execute(db)).rows;
  for (let from = existing + 1; from <= ticketCount; from += BATCH) {
    const to = Math.min(ticketCount, from + BATCH - 1);
    await db.transaction().execute(async (trx) => {
      await sql`INSERT INTO tickets (subject, status, priority, channel, requester_id, assignee_id, group_id, created_at, updated_at, last_message_at)
        SELECT (${pgArray(SUBJECTS)})[1 + g % 10] || ' #' || g,
               (ARRAY['new','open','pending','on_hold','solved','closed'])[1 + (g * 7) % 6],
               (ARRAY['low','normal','normal','high','urgent'])[1 + g % 5],
               (ARRAY['email','chat','telegram','phone','web'])[1 + g % 5],
               ${minContact.id} + ((g::bigint * 7919) % ${contactCount})::int,
               CASE WHEN g % 3 = 0 THEN NULL ELSE ${minUser.id} + g % 20 END,
               ${minGroup.id} + g % 4,
               now() - make_interval(mins => ${ticketCount} - g),
               now() - make_interval(mins => ${ticketCount} - g),
               now() - make_interval(mins => ${ticketCount} - g)
        FROM generate_series(${from}::int, ${to}::int) g`.execute(trx);
      await sql`INSERT INTO messages (ticket_id, kind, author_kind, author_contact_id, author_user_id, channel, body_text, created_at)
        SELECT t.id, CASE WHEN m = 4 THEN 'note' ELSE 'reply' END,
               CASE WHEN m % 2 = 1 THEN 'contact' ELSE 'agent' END,
               CASE WHEN m % 2 = 1 THEN t.requester_id END,
               CASE WHEN m % 2 = 0 THEN ${minUser.id} + t.id % 20 END,
               t.channel,
               (${pgArray(PHRASES)})[1 + (t.id::bigint * 7919 + m * 31) % ${PHRASES.length}] || ' Бронирование B-' || t.id || '-' || m
                 || ', тур «' || (${pgArray(TOURS)})[1 + (t.id::bigint * 104729 + m) % ${TOURS.length}] || '».',
               t.created_at + make_interval(mins => m * 5)
        FROM tickets t, generate_series(1, 5) m
        WHERE t.id BETWEEN ${from} AND ${to}`.execute(trx);
      await sql`INSERT INTO ticket_events (ticket_id, type, actor_kind, at, data)
        SELECT t.id, e.type, 'system', t.created_at, '{}'::jsonb
        FROM tickets t, (VALUES ('created'), ('message_added'), ('status_changed')) e(type)
        WHERE t.id BETWEEN ${from} AND ${to}`.execute(trx);
    });
    process.stdout.write(`\rseeded ${to.toLocaleString('en')} / ${ticketCount.toLocaleString('en')} tickets`);
  }
  await sql`ANALYZE`.execute(db);
  console.log(`\nseed took ${((performance.now() - started) / 1000).toFixed(1)} s`);
};

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

const measure = async (name: string, run: (i: number) => Response | Promise<Response>) => {
  for (let i = 0; i < 10; i++) await run(i);
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    const res = await run(i);
    await res.arrayBuffer();
    times.push(performance.now() - t0);
    if (res.status >= 400) throw new Error(`${name}: HTTP ${res.status}`);
  }
  times.sort((a, b) => a - b);
  const row = { name, p50: percentile(times, 50), p95: percentile(times, 95), max: times.at(-1)! };
  console.log(
    `${name.padEnd(16)} p50 ${row.p50.toFixed(2).padStart(8)} ms   p95 ${row.p95.toFixed(2).padStart(8)} ms   max ${row.max.toFixed(2).padStart(8)} ms`,
  );
  return row;
};

const main = async () => {
  let dataDir: string | undefined;
  if (databaseUrl) {
    const u = new URL(databaseUrl);
    const name = u.pathname.slice(1);
    const admin = new pg.Client({
      connectionString: Object.assign(new URL(databaseUrl), { pathname: '/postgres' }).toString(),
    });
    await admin.connect();
    const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount;
    if (!exists) await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
    await admin.end();
  } else {
    dataDir = args.reuse
      ? path.resolve('bench-data')
      : fs.mkdtempSync(path.join(os.tmpdir(), 'tourdesk-bench-'));
  }
  const database = await openDatabase({ databaseUrl, dataDir: dataDir ?? './data' });
  await migrate(database);
  console.log(
    `tourdesk core benchmark on ${database.kind}, ${ticketCount.toLocaleString('en')} tickets, ${iterations} iterations each`,
  );
  await seed(database);

  const logger = createLogger('silent');
  const config = loadConfig({ LOG_LEVEL: 'silent', TOURDESK_DATA_DIR: dataDir ?? os.tmpdir() });
  const { app, services } = createApp({
    database,
    config,
    logger,
    storage: createDiskStorage(path.join(os.tmpdir(), 'tourdesk-bench-attachments')),
    queue: new JobQueue({ database, logger }),
  });
  const { token } = await services.auth.createToken('system', { name: 'bench', role: 'admin' });
  const headers = { authorization: `Bearer ${token}` };
  const [group] = (await sql<{ id: number }>`SELECT min(id)::int AS id FROM groups`.execute(database.db))
    .rows;
  const [maxTicket] = (await sql<{ id: number }>`SELECT max(id)::int AS id FROM tickets`.execute(database.db))
    .rows;
  const openIds = (
    await sql<{
      id: number;
    }>`SELECT id FROM tickets WHERE status = 'open' ORDER BY id DESC LIMIT 1000`.execute(database.db)
  ).rows.map((r) => r.id);
  const pick = (i: number) => 1 + ((i * 104_729) % maxTicket.id);
  const queries = [
    'отменили тур в Карелию',
    'вернуть деньги',
    'перенести поездку на Байкал',
    'cancel booking refund',
    'выплата за тур',
  ];

  const rows = [
    await measure('inbox', () =>
      app.request(`/api/v1/tickets?groupId=${group.id}&assigneeId=none&limit=50`, { headers }),
    ),
    await measure('open ticket', async (i) => {
      const id = pick(i);
      const [detail] = await Promise.all([
        app.request(`/api/v1/tickets/${id}`, { headers }),
        app.request(`/api/v1/tickets/${id}/messages`, { headers }),
        app.request(`/api/v1/tickets/${id}/events`, { headers }),
      ]);
      return detail;
    }),
    await measure('status update', (i) =>
      app.request(`/api/v1/tickets/${openIds[i % openIds.length]}`, {
        method: 'PATCH',
        headers: { ...headers, 'content-type': 'application/json' },
        // Each ticket is visited twice in a row at most: open → pending → open …
        body: JSON.stringify({ status: Math.floor(i / openIds.length) % 2 ? 'open' : 'pending' }),
      }),
    ),
    await measure('search', (i) =>
      app.request(`/api/v1/search?q=${encodeURIComponent(queries[i % queries.length])}&limit=20`, {
        headers,
      }),
    ),
  ];
  console.log(JSON.stringify({ database: database.kind, tickets: ticketCount, iterations, results: rows }));
  await database.close();
  if (dataDir && !args['keep-data'] && !args.reuse) fs.rmSync(dataDir, { recursive: true, force: true });
};

await main();
