import type { Insertable, Kysely, Transaction } from 'kysely';
import type {
  TBookingStatus,
  TChannel,
  TContactKind,
  TTicketEventType,
  TTicketPriority,
  TTicketStatus,
  TUserRole,
} from '../../../shared/enums.ts';
import { AppError } from '../../../shared/errors.ts';
import type { DB, TicketEventsTable } from '../../db/types.ts';
import { textToHtml } from '../../lib/sanitize.ts';
import { addDays, calendarDate, daysBetween } from '../../lib/time.ts';
import { hashPassword } from '../auth/password.ts';
import { normalizeIdentity } from '../contacts/identity.ts';
import { statusAfterContactMessage } from '../tickets/ticket-status.ts';

export type TDemoSummary = {
  users: number;
  groups: number;
  travelers: number;
  organizers: number;
  tours: number;
  bookings: number;
  tickets: number;
  messages: number;
  logins: { email: string; password: string; role: string }[];
};

// ---------------------------------------------------------------------------------------------
// Clock, randomness and small helpers
// ---------------------------------------------------------------------------------------------

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const TIME_ZONE = 'Europe/Moscow';
// Moscow has kept UTC+3 all year since 2014, so shift hours are a plain offset.
const MOSCOW_OFFSET = 3 * HOUR;
const SEED = 0x70d35c;
const DEMO_PASSWORD = 'demo12345';
const DEMO_DOMAIN = 'demo.tourdesk.local';
// The workspace default (workspace_settings.auto_close_days): solved tickets older than this get closed.
const AUTO_CLOSE_DAYS = 4;
const CHUNK = 500;
const REGULAR_TICKETS = 293;
const SPAM_TICKETS = 5;
const MERGED_TICKETS = 2;

type TRandom = ReturnType<typeof createRandom>;

/** mulberry32: tiny, fast and the same sequence on every platform for a given seed. */
const createRandom = (seed: number) => {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  const weighted = <T>(items: readonly (readonly [T, number])[]): T => {
    const total = items.reduce((sum, [, w]) => sum + w, 0);
    let roll = next() * total;
    for (const [item, w] of items) {
      roll -= w;
      if (roll < 0) return item;
    }
    return items[items.length - 1][0];
  };
  return { next, int, pick, weighted, chance: (p: number): boolean => next() < p };
};

const mskHour = (at: number): number => ((((at + MOSCOW_OFFSET) % DAY) + DAY) % DAY) / HOUR;
const mskDayStart = (at: number): number => Math.floor((at + MOSCOW_OFFSET) / DAY) * DAY - MOSCOW_OFFSET;
const dateStart = (date: string): number => Date.parse(`${date}T00:00:00+03:00`);
const roundTo = (value: number, step: number): number => Math.round(value / step) * step;
const groupDigits = (n: number, separator: string): string =>
  String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, separator);
const formatMoney = (n: number, lang: TLang): string =>
  lang === 'ru' ? `${groupDigits(n, ' ')} ₽` : `RUB ${groupDigits(n, ',')}`;
const formatDate = (date: string, lang: TLang): string =>
  lang === 'ru' ? date.split('-').reverse().join('.') : date;

const TRANSLIT: Record<string, string> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  д: 'd',
  е: 'e',
  ё: 'e',
  ж: 'zh',
  з: 'z',
  и: 'i',
  й: 'y',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'shch',
  ъ: '',
  ы: 'y',
  ь: '',
  э: 'e',
  ю: 'yu',
  я: 'ya',
};
const latin = (text: string): string =>
  [...text.toLowerCase()]
    .map((c) => TRANSLIT[c] ?? c)
    .join('')
    .normalize('NFD')
    .replace(/[^a-z0-9]/g, '');

/** Replaces {key} placeholders; a template naming a missing key is a bug in the demo content. */
const fill = (template: string, vars: Readonly<Record<string, string>>): string =>
  template.replace(/\{(\w+)\}/g, (_, key: string) => {
    const value = vars[key];
    if (value === undefined) throw new AppError('INTERNAL', `Demo template needs {${key}}: ${template}`);
    return value;
  });

// ---------------------------------------------------------------------------------------------
// Staff, groups and the marketplace
// ---------------------------------------------------------------------------------------------

type TShift = { start: number; end: number };
const DAY_SHIFT: TShift = { start: 9, end: 18 };
const LATE_SHIFT: TShift = { start: 12, end: 21 };

type TGroupKey = 'travelers' | 'organizers' | 'payments' | 'claims';

const GROUPS: readonly { key: TGroupKey; name: string; description: string }[] = [
  {
    key: 'travelers',
    name: 'Путешественники',
    description: 'Вопросы туристов: бронирования, переносы и отмены, бонусы, оферта, подготовка к поездке.',
  },
  {
    key: 'organizers',
    name: 'Организаторы',
    description: 'Гиды и агентства: выплаты, карточки туров, брони туристов, условия сотрудничества.',
  },
  {
    key: 'payments',
    name: 'Платежи',
    description: 'Оплата, двойные списания, чеки и возвраты; эскалации в финансовый отдел.',
  },
  {
    key: 'claims',
    name: 'Претензии',
    description: 'Жалобы на качество туров и официальные претензии со сроками ответа по закону.',
  },
];

type TStaffSeed = {
  name: string;
  login: string;
  latinName: string;
  role: TUserRole;
  department: string | null;
  shift: TShift;
  groups: readonly TGroupKey[];
  id: number;
};

const staff = (
  name: string,
  login: string,
  role: TUserRole,
  options: { shift?: TShift; groups?: readonly TGroupKey[]; department?: string } = {},
): TStaffSeed => ({
  name,
  login,
  latinName: login.split('.')[0].replace(/^./, (c) => c.toUpperCase()),
  role,
  department: options.department ?? null,
  shift: options.shift ?? DAY_SHIFT,
  groups: options.groups ?? [],
  id: 0,
});

const ALL_GROUPS = GROUPS.map((g) => g.key);

const createStaff = (): TStaffSeed[] => [
  staff('Администратор', 'admin', 'admin'),
  staff('Наталья Орлова', 'natalia.orlova', 'supervisor', { shift: DAY_SHIFT, groups: ALL_GROUPS }),
  staff('Павел Смирнов', 'pavel.smirnov', 'supervisor', { shift: LATE_SHIFT, groups: ALL_GROUPS }),
  // Morning shift, 09:00–18:00 Moscow time (shifts are not stored yet).
  staff('Анна Соколова', 'anna.sokolova', 'agent', { shift: DAY_SHIFT, groups: ['travelers', 'payments'] }),
  staff('Дмитрий Волков', 'dmitry.volkov', 'agent', { shift: DAY_SHIFT, groups: ['travelers'] }),
  staff('Екатерина Морозова', 'ekaterina.morozova', 'agent', {
    shift: DAY_SHIFT,
    groups: ['organizers', 'claims'],
  }),
  staff('Игорь Лебедев', 'igor.lebedev', 'agent', { shift: DAY_SHIFT, groups: ['payments'] }),
  // Late shift, 12:00–21:00 Moscow time.
  staff('Мария Кузнецова', 'maria.kuznetsova', 'agent', {
    shift: LATE_SHIFT,
    groups: ['travelers', 'claims'],
  }),
  staff('Алексей Попов', 'alexey.popov', 'agent', { shift: LATE_SHIFT, groups: ['organizers'] }),
  staff('Ольга Новикова', 'olga.novikova', 'agent', { shift: LATE_SHIFT, groups: ['travelers', 'payments'] }),
  staff('Сергей Фёдоров', 'sergey.fedorov', 'agent', { shift: LATE_SHIFT, groups: ['organizers', 'claims'] }),
  staff('Ирина Белова', 'irina.belova', 'department_member', { department: 'finance' }),
  staff('Андрей Ковалёв', 'andrey.kovalev', 'department_member', { department: 'legal' }),
];

const staffEmail = (s: TStaffSeed): string => `${s.login}@${DEMO_DOMAIN}`;

const ORGANIZATIONS: readonly { name: string; domain: string }[] = [
  { name: 'Северный ветер', domain: 'severny-veter.example.com' },
  { name: 'Алтай Трекинг', domain: 'altai-trekking.example.com' },
  { name: 'Байкал Экспедиции', domain: 'baikal-expeditions.example.com' },
  { name: 'Дикая Камчатка', domain: 'wild-kamchatka.example.com' },
  { name: 'Кавказские маршруты', domain: 'caucasus-routes.example.com' },
  { name: 'Урал Хайк', domain: 'ural-hike.example.com' },
];

const ORGANIZERS: readonly { name: string; organization: number | null; telegram: boolean }[] = [
  { name: 'Андрей Лосев', organization: 0, telegram: true },
  { name: 'Марина Кравец', organization: 0, telegram: false },
  { name: 'Тимур Ахметов', organization: 1, telegram: true },
  { name: 'Евгения Соболева', organization: null, telegram: false },
  { name: 'Виктор Шубин', organization: 2, telegram: false },
  { name: 'Ольга Рябова', organization: null, telegram: true },
  { name: 'Константин Зуев', organization: 3, telegram: false },
  { name: 'Нино Беридзе', organization: 4, telegram: true },
  { name: 'Арам Саркисян', organization: null, telegram: false },
  { name: 'Магомед Алиев', organization: 4, telegram: false },
  { name: 'Юлия Миронова', organization: null, telegram: false },
  { name: 'Денис Горбунов', organization: 5, telegram: false },
  { name: 'Алия Хабибуллина', organization: null, telegram: false },
  { name: 'Роман Черкасов', organization: null, telegram: false },
  { name: 'Светлана Гусева', organization: 0, telegram: false },
];

const RUSSIAN_TRAVELERS = [
  'Иван Петров',
  'Елена Смирнова',
  'Алексей Кузьмин',
  'Ольга Васильева',
  'Михаил Павлов',
  'Татьяна Семёнова',
  'Николай Голубев',
  'Светлана Виноградова',
  'Артём Богданов',
  'Юлия Воробьёва',
  'Владимир Никитин',
  'Анастасия Захарова',
  'Максим Зайцев',
  'Дарья Соловьёва',
  'Андрей Борисов',
  'Ксения Яковлева',
  'Павел Григорьев',
  'Наталья Романова',
  'Евгений Степанов',
  'Марина Николаева',
  'Григорий Орехов',
  'Вера Макарова',
  'Кирилл Андреев',
  'Алина Ковалёва',
  'Роман Ильин',
  'Людмила Титова',
  'Олег Киселёв',
  'Полина Белоусова',
  'Станислав Комаров',
  'Валерия Медведева',
  'Илья Антонов',
  'Галина Тарасова',
  'Виктор Жуков',
  'Екатерина Баранова',
  'Денис Фролов',
  'Софья Александрова',
  'Антон Дмитриев',
  'Ирина Королёва',
  'Фёдор Калинин',
  'Маргарита Лукина',
  'Тимофей Ершов',
  'Яна Сорокина',
  'Борис Мельников',
  'Александра Щербакова',
  'Глеб Ефимов',
  'Лариса Афанасьева',
  'Вадим Власов',
  'Надежда Ткаченко',
  'Эдуард Субботин',
  'Карина Шарова',
] as const;

const ENGLISH_TRAVELERS = [
  'John Smith',
  'Emma Wilson',
  'Lukas Müller',
  'Sarah Johnson',
  'David Brown',
  'Maria Garcia',
  'Oliver Taylor',
] as const;

const SPAM_SENDERS: readonly { name: string; email: string }[] = [
  { name: 'SEO Продвижение', email: 'top10@seo-promo.example.net' },
  { name: 'База туристов', email: 'sales@leads-base.example.net' },
  { name: 'Growth Partners', email: 'partners@growth-agency.example.net' },
];

type TDiscount = { code: string; percent?: number; amount?: number };

const DISCOUNTS: readonly (readonly TDiscount[])[] = [
  [{ code: 'WELCOME10', percent: 10 }],
  [{ code: 'FRIEND7', percent: 7 }],
  [{ code: 'AUTUMN5000', amount: 5000 }],
  [
    { code: 'WELCOME10', percent: 10 },
    { code: 'BIRTHDAY15', percent: 15 },
  ],
];

type TTourSpec = { title: string; region: string; days: number; price: number; organizer: number };

const TOURS: readonly TTourSpec[] = [
  { title: 'Карелия: сплав по Шуе и водопад Кивач', region: 'Карелия', days: 4, price: 38_000, organizer: 0 },
  { title: 'Зимняя Карелия на снегоходах', region: 'Карелия', days: 3, price: 42_000, organizer: 0 },
  { title: 'Рускеала, Ладожские шхеры и Валаам', region: 'Карелия', days: 5, price: 56_000, organizer: 14 },
  { title: 'Алтай: Чуйский тракт и Марсианские горы', region: 'Алтай', days: 8, price: 89_000, organizer: 2 },
  { title: 'Конный поход к Белухе', region: 'Алтай', days: 10, price: 112_000, organizer: 2 },
  { title: 'Телецкое озеро и водопады Чулышмана', region: 'Алтай', days: 7, price: 78_000, organizer: 3 },
  { title: 'Алтай: йога-ретрит в Чемале', region: 'Алтай', days: 6, price: 52_000, organizer: 3 },
  { title: 'Байкальский лёд: Ольхон на хивусе', region: 'Байкал', days: 6, price: 95_000, organizer: 4 },
  { title: 'Летний Байкал: Кругобайкалка и Ольхон', region: 'Байкал', days: 7, price: 84_000, organizer: 4 },
  { title: 'Треккинг по Большой Байкальской тропе', region: 'Байкал', days: 6, price: 67_000, organizer: 5 },
  {
    title: 'Камчатка: вулканы, океан и медведи Курильского озера',
    region: 'Камчатка',
    days: 10,
    price: 180_000,
    organizer: 6,
  },
  { title: 'Восхождение на Авачинский вулкан', region: 'Камчатка', days: 6, price: 129_000, organizer: 6 },
  {
    title: 'Грузия: Тбилиси, Кахетия и винные дегустации',
    region: 'Грузия',
    days: 7,
    price: 74_000,
    organizer: 7,
  },
  { title: 'Сванетия: треккинг к леднику Шхара', region: 'Грузия', days: 8, price: 82_000, organizer: 7 },
  {
    title: 'Армения за неделю: монастыри, Севан и Дилижан',
    region: 'Армения',
    days: 7,
    price: 69_000,
    organizer: 8,
  },
  { title: 'Гастрономическая Армения', region: 'Армения', days: 5, price: 58_000, organizer: 8 },
  {
    title: 'Териберка: северное сияние и Баренцево море',
    region: 'Мурманск',
    days: 4,
    price: 62_000,
    organizer: 1,
  },
  { title: 'Хибины: снегоступы и северное сияние', region: 'Мурманск', days: 5, price: 54_000, organizer: 1 },
  { title: 'Соловки: острова и монастырь', region: 'Соловки', days: 5, price: 64_000, organizer: 1 },
  {
    title: 'Дагестан: Сулакский каньон, бархан Сарыкум и Гуниб',
    region: 'Дагестан',
    days: 5,
    price: 49_000,
    organizer: 9,
  },
  {
    title: 'Горный Дагестан: аулы-призраки и плато Матлас',
    region: 'Дагестан',
    days: 6,
    price: 57_000,
    organizer: 9,
  },
  { title: 'Эльбрус: восхождение с юга', region: 'Приэльбрусье', days: 9, price: 98_000, organizer: 9 },
  {
    title: 'Куршская коса и янтарное побережье',
    region: 'Калининград',
    days: 4,
    price: 36_000,
    organizer: 10,
  },
  { title: 'Замки Восточной Пруссии', region: 'Калининград', days: 3, price: 29_000, organizer: 10 },
  { title: 'Урал: сплав по Чусовой', region: 'Урал', days: 5, price: 33_000, organizer: 11 },
  {
    title: 'Таганай и Зюраткуль: треккинг по Южному Уралу',
    region: 'Урал',
    days: 4,
    price: 27_000,
    organizer: 11,
  },
  { title: 'Плато Маньпупунёр: столбы выветривания', region: 'Урал', days: 9, price: 165_000, organizer: 11 },
  {
    title: 'Казань и Свияжск: гастрономический уикенд',
    region: 'Казань',
    days: 3,
    price: 31_000,
    organizer: 12,
  },
  { title: 'Сочи: Красная Поляна и джип-тур на Ахун', region: 'Сочи', days: 5, price: 46_000, organizer: 13 },
  { title: 'Абхазия из Сочи: Рица и Новый Афон', region: 'Сочи', days: 4, price: 39_000, organizer: 13 },
];

type TLang = 'ru' | 'en';

type TOrganizationSeed = { id: number; externalId: string; name: string; domain: string; createdAt: number };

type TContactSeed = {
  id: number;
  externalId: string | null;
  kind: TContactKind;
  name: string;
  firstName: string;
  lang: TLang;
  organization: TOrganizationSeed | null;
  bonus: number;
  discounts: readonly TDiscount[];
  notes: string;
  isFrequent: boolean;
  email: string;
  phone: string | null;
  telegram: string | null;
  createdAt: number;
  weight: number;
  bookings: TBookingSeed[];
  tours: TTourSeed[];
};

type TTourSeed = {
  id: number;
  externalId: string;
  spec: TTourSpec;
  organizer: TContactSeed;
  createdAt: number;
  departures: TDepartureSeed[];
};

type TDepartureSeed = {
  id: number;
  externalId: string;
  tour: TTourSeed;
  startsOn: string;
  endsOn: string;
  startsAt: number;
  /** The instant the last day of the tour is over. */
  endsAt: number;
  capacity: number;
  bookings: TBookingSeed[];
};

type TBookingSeed = {
  id: number;
  externalId: string;
  code: string;
  traveler: TContactSeed;
  departure: TDepartureSeed;
  participants: number;
  status: TBookingStatus;
  amount: number;
  paid: number;
  refunded: number;
  bonusUsed: number;
  bookedAt: number;
  updatedAt: number;
};

const contactSeed = (
  fields: Partial<TContactSeed> & Pick<TContactSeed, 'kind' | 'name' | 'email' | 'externalId' | 'createdAt'>,
): TContactSeed => ({
  id: 0,
  firstName: fields.name.split(' ')[0],
  lang: 'ru',
  organization: null,
  bonus: 0,
  discounts: [],
  notes: '',
  isFrequent: false,
  phone: null,
  telegram: null,
  weight: 1,
  bookings: [],
  tours: [],
  ...fields,
});

// A deterministic, obviously made-up mobile number per contact: +7 9XX …, unique for n < 10^7.
const OPERATOR_CODES = ['16', '03', '26', '85', '99', '52', '61', '77'];
const phoneOf = (n: number): string =>
  `+79${OPERATOR_CODES[n % OPERATOR_CODES.length]}${String(((n + 1) * 1_234_567) % 10_000_000).padStart(7, '0')}`;

const travelerEmail = (name: string, n: number): string => {
  const [first, last] = name.split(' ').map(latin);
  switch (n % 4) {
    case 0:
      return `${first}.${last}@example.com`;
    case 1:
      return `${first[0]}${last}${1975 + ((n * 7) % 30)}@example.net`;
    case 2:
      return `${last}.${first}@example.org`;
    default:
      return `${first}_${last}${n}@example.com`;
  }
};

const statusOfBooking = (rng: TRandom, departure: TDepartureSeed, now: number): TBookingStatus => {
  if (departure.endsAt <= now) return rng.chance(0.85) ? 'completed' : 'cancelled';
  if (departure.startsAt <= now) return rng.chance(0.9) ? 'confirmed' : 'cancelled';
  const soon = departure.startsAt - now <= 3 * DAY;
  return rng.weighted<TBookingStatus>([
    ['confirmed', soon ? 85 : 60],
    ['pending', soon ? 5 : 25],
    ['cancelled', soon ? 10 : 15],
  ]);
};

const createBooking = (
  rng: TRandom,
  departure: TDepartureSeed,
  traveler: TContactSeed,
  now: number,
): TBookingSeed => {
  const participants = rng.weighted([
    [1, 45],
    [2, 40],
    [3, 10],
    [4, 5],
  ] as const);
  const amount = departure.tour.spec.price * participants;
  const bookedAt = Math.min(
    departure.startsAt - rng.int(6, 80) * DAY + rng.int(9 * 60, 23 * 60) * MINUTE,
    now - rng.int(2, 72) * HOUR,
  );
  const bonusUsed = rng.chance(0.2) ? Math.min(rng.int(2, 10) * 500, roundTo(amount * 0.2, 100)) : 0;
  const toPay = amount - bonusUsed;
  const prepayment = roundTo(toPay * 0.3, 100);
  const status = statusOfBooking(rng, departure, now);
  let paid = toPay;
  let refunded = 0;
  let updatedAt = bookedAt + rng.int(5, 90) * MINUTE;
  switch (status) {
    case 'pending':
      paid = rng.chance(0.4) ? prepayment : 0;
      break;
    case 'confirmed':
      paid = departure.startsAt - now > 14 * DAY && rng.chance(0.3) ? prepayment : toPay;
      break;
    case 'completed':
      updatedAt = Math.min(departure.endsAt + rng.int(1, 20) * HOUR, now);
      break;
    case 'cancelled': {
      paid = rng.weighted([
        [toPay, 50],
        [prepayment, 30],
        [0, 20],
      ] as const);
      if (paid > 0) {
        refunded = rng.weighted([
          [paid, 60],
          [roundTo(paid * 0.7, 100), 25],
          [0, 15],
        ] as const);
      }
      const until = Math.min(departure.startsAt, now);
      updatedAt = bookedAt + Math.floor((until - bookedAt) * (0.3 + 0.6 * rng.next()));
      break;
    }
  }
  return {
    id: 0,
    externalId: '',
    code: '',
    traveler,
    departure,
    participants,
    status,
    amount,
    paid,
    refunded,
    bonusUsed,
    bookedAt,
    updatedAt: Math.max(updatedAt, bookedAt),
  };
};

const createMarketplace = (rng: TRandom, now: number) => {
  const today = calendarDate(new Date(now), TIME_ZONE);
  const organizations: TOrganizationSeed[] = ORGANIZATIONS.map((o, i) => ({
    id: 0,
    externalId: `org-${i + 1}`,
    name: o.name,
    domain: o.domain,
    createdAt: now - rng.int(700, 1500) * DAY,
  }));

  const organizers = ORGANIZERS.map((o, i) => {
    const organization = o.organization === null ? null : organizations[o.organization];
    const [first, last] = o.name.split(' ').map(latin);
    return contactSeed({
      kind: 'organizer',
      name: o.name,
      externalId: `organizer-${i + 1}`,
      organization,
      email: organization ? `${first}@${organization.domain}` : `${first}.${last}.guide@example.org`,
      phone: phoneOf(i),
      telegram: o.telegram ? `@${first}_${last}_guide` : null,
      createdAt: Math.max(organization?.createdAt ?? 0, now - rng.int(200, 1500) * DAY),
      notes: organization ? `Агентство «${organization.name}».` : 'Частный гид, работает как самозанятый.',
    });
  });

  const travelerNames: readonly { name: string; lang: TLang }[] = [
    ...RUSSIAN_TRAVELERS.map((name) => ({ name, lang: 'ru' as const })),
    ...ENGLISH_TRAVELERS.map((name) => ({ name, lang: 'en' as const })),
  ];
  const travelers = travelerNames.map(({ name, lang }, i) => {
    const [first, last] = name.split(' ').map(latin);
    const isFrequent = i % 9 === 4;
    const hasPhone = lang === 'en' ? i % 2 === 1 : rng.chance(0.9);
    return contactSeed({
      kind: 'traveler',
      name,
      lang,
      externalId: `traveler-${i + 1}`,
      email: travelerEmail(name, i),
      phone: hasPhone ? phoneOf(100 + i) : null,
      telegram: i % 7 === 3 ? `@${first}${last.slice(0, 3)}` : null,
      bonus: rng.chance(0.45) ? rng.int(5, 150) * 100 : 0,
      discounts: rng.chance(0.22) ? rng.pick(DISCOUNTS) : [],
      isFrequent,
      notes: isFrequent ? 'Постоянный клиент: несколько поездок в год, ценит быстрые ответы.' : '',
      createdAt: now - rng.int(150, 900) * DAY,
      weight: isFrequent ? 2.5 : 0.6 + rng.next(),
    });
  });

  const tours: TTourSeed[] = TOURS.map((spec, i) => ({
    id: 0,
    externalId: `tour-${i + 1}`,
    spec,
    organizer: organizers[spec.organizer],
    createdAt: now - rng.int(120, 400) * DAY,
    departures: [],
  }));

  const departures: TDepartureSeed[] = [];
  tours.forEach((tour, i) => {
    tour.organizer.tours.push(tour);
    // One departure in the past 60 days and one ahead; every fifth tour also leaves within 3 days.
    const offsets = [-rng.int(8, 58), rng.int(5, 60)];
    if (i % 5 === 0) offsets.push(rng.int(1, 3));
    else if (rng.chance(0.55))
      offsets.push(rng.chance(0.5) ? rng.int(12, 60) : -rng.int(1, tour.spec.days - 1));
    for (const offset of [...new Set(offsets)].sort((a, b) => a - b)) {
      const startsOn = addDays(today, offset);
      const endsOn = addDays(startsOn, tour.spec.days - 1);
      const departure: TDepartureSeed = {
        id: 0,
        externalId: `departure-${departures.length + 1}`,
        tour,
        startsOn,
        endsOn,
        startsAt: dateStart(startsOn),
        endsAt: dateStart(endsOn) + DAY,
        capacity: rng.int(8, 16),
        bookings: [],
      };
      tour.departures.push(departure);
      departures.push(departure);
    }
  });

  const bookings: TBookingSeed[] = [];
  for (const departure of departures) {
    const count = rng.weighted([
      [1, 3],
      [2, 4],
      [3, 3],
    ] as const);
    const taken = new Set<TContactSeed>();
    for (let k = 0; k < count; k++) {
      const traveler = rng.weighted(
        travelers.filter((t) => !taken.has(t)).map((t) => [t, t.weight] as const),
      );
      taken.add(traveler);
      const booking = createBooking(rng, departure, traveler, now);
      bookings.push(booking);
      departure.bookings.push(booking);
      traveler.bookings.push(booking);
    }
  }
  bookings.sort((a, b) => a.bookedAt - b.bookedAt);
  bookings.forEach((b, i) => {
    b.externalId = `booking-${i + 1}`;
    b.code = `TD-${240_001 + i}`;
  });
  for (const traveler of travelers) {
    // More trips, more questions.
    traveler.weight *= 1 + 1.5 * traveler.bookings.length;
    const first = traveler.bookings.reduce((min, b) => Math.min(min, b.bookedAt), now);
    traveler.createdAt = Math.min(traveler.createdAt, first - rng.int(1, 30) * DAY);
  }
  for (const organizer of organizers) organizer.weight = 1 + organizer.tours.length;
  return { today, organizations, organizers, travelers, tours, departures, bookings };
};

type TMarketplace = ReturnType<typeof createMarketplace>;

// ---------------------------------------------------------------------------------------------
// What people write about
// ---------------------------------------------------------------------------------------------

type TCategory =
  | 'refund'
  | 'cancellation'
  | 'payment'
  | 'booking_change'
  | 'bonuses'
  | 'offer_terms'
  | 'payout'
  | 'listing'
  | 'quality_complaint'
  | 'other';

/** One way a conversation on a topic goes: what is asked, the first answer, and what solves it. */
type TCase = {
  subject: string;
  opening: string;
  first: string;
  resolution: string;
  followUps?: readonly string[];
  mids?: readonly string[];
};

type TTopic = {
  category: TCategory;
  requester: TContactKind;
  lang: TLang;
  group: TGroupKey;
  weight: number;
  /** Whether the ticket is about one booking; `fits` says which bookings, at the moment of writing. */
  booking: 'required' | 'optional' | 'none';
  fits?: (booking: TBookingSeed, at: number) => boolean;
  tags: readonly string[];
  // Texts may use {name} {fullName} {tour} {region} {date} {bonus}; booking-required topics also
  // {code} {amount} {paid} {participants}.
  cases: readonly TCase[];
  followUps: readonly string[];
  agentMid: readonly string[];
  notes: readonly string[];
};

const isAhead = (b: TBookingSeed, at: number) => b.departure.startsAt > at;
const isLiveAt = (b: TBookingSeed, at: number) =>
  b.status === 'confirmed' || b.status === 'pending' || (b.status === 'cancelled' && b.updatedAt > at);
const isActive = (b: TBookingSeed) => b.status === 'confirmed' || b.status === 'pending';
const isRefundable = (b: TBookingSeed, at: number) =>
  b.status === 'cancelled' && b.updatedAt <= at && b.paid > 0;
const hasStarted = (b: TBookingSeed, at: number) =>
  b.departure.startsAt <= at && (b.status === 'completed' || b.status === 'confirmed');
const hasEnded = (b: TBookingSeed, at: number) => b.status === 'completed' && b.departure.endsAt <= at;

const TOPICS: readonly TTopic[] = [
  {
    category: 'refund',
    requester: 'traveler',
    lang: 'ru',
    group: 'payments',
    weight: 25,
    booking: 'required',
    fits: isRefundable,
    tags: ['refund'],
    cases: [
      {
        subject: 'Возврат денег за тур «{tour}»',
        opening:
          'Здравствуйте! Бронирование {code} на тур «{tour}» ({date}) отменено, нам обещали вернуть {paid}, но деньги до сих пор не пришли. Подскажите, пожалуйста, на каком этапе возврат?',
        first:
          'Вижу бронирование {code}: возврат {paid} оформлен, сейчас проверяем его статус у платёжного провайдера. Вернёмся с ответом сегодня.',
        resolution:
          'Возврат по бронированию {code} отправлен на вашу карту. Банк зачисляет средства до 5 рабочих дней; если деньги не придут, напишите нам — пришлём справку с номером операции.',
      },
      {
        subject: 'Вернули не всю сумму за тур',
        opening:
          'Здравствуйте. За отменённый тур «{tour}» на карту вернулась только часть суммы. Почему удержали деньги и где это прописано? Бронь {code}.',
        first:
          'Спасибо, что написали. Запросили у организатора расчёт удержания по брони {code} — вернёмся с подробностями.',
        resolution:
          'Организатор удержал фактические расходы на проживание — это предусмотрено п. 6.3 оферты. Расчёт с документами отправили вам на почту; если не согласны с суммой, ответьте на это письмо — рассмотрим его как претензию.',
        followUps: ['Нам никто не говорил про удержание при бронировании.'],
      },
      {
        subject: 'Когда придёт возврат по брони {code}?',
        opening: 'Прошло уже 12 дней после отмены бронирования {code}, возврата нет. Это нормально?',
        first:
          'Спасибо, что написали. Возврат по брони {code} запросили у финансового отдела — уточним, когда именно он был отправлен, и сразу напишем вам.',
        resolution:
          'Финансовый отдел подтвердил: возврат {paid} отправлен, номер операции — в письме, которое мы вам переслали. Банк зачисляет средства до 5 рабочих дней.',
      },
    ],
    followUps: [
      'Оплата была картой, последние цифры 4417, одним платежом.',
      'В выписке поступлений по-прежнему нет.',
      'А можно получить справку о возврате для банка?',
    ],
    agentMid: [
      'Подскажите, пожалуйста, последние 4 цифры карты, с которой была оплата, — так коллеги из финансов быстрее найдут платёж.',
      'Возврат отправлен, но банку нужно до 5 рабочих дней на зачисление. Проверьте, пожалуйста, поступление через пару дней и напишите нам.',
    ],
    notes: [
      'В платёжной системе возврат в статусе «в обработке», эскалировано в финансы.',
      'Организатор подтвердил удержание 30% — фактические расходы, документы в переписке с партнёром.',
    ],
  },
  {
    category: 'cancellation',
    requester: 'traveler',
    lang: 'ru',
    group: 'travelers',
    weight: 12,
    booking: 'required',
    fits: (b, at) => isAhead(b, at) && isLiveAt(b, at),
    tags: ['cancellation'],
    cases: [
      {
        subject: 'Хотим отменить поездку «{tour}»',
        opening:
          'Здравствуйте! Хотим отменить бронирование {code} на тур «{tour}» ({date}) — заболел ребёнок. Какую сумму вернут?',
        first:
          'Очень жаль, что поездка срывается. По оферте при отмене более чем за 30 дней предоплата возвращается полностью, позднее — за вычетом фактических расходов организатора. Уточняем расходы у организатора тура «{tour}».',
        resolution:
          'Бронь {code} отменена. Организатор пошёл навстречу и не удерживает расходы: возврат полной суммы оформлен на карту, срок зачисления — до 10 рабочих дней. Выздоравливайте!',
        followUps: ['Справку из поликлиники отправили на почту.'],
      },
      {
        subject: 'Отмена бронирования {code}',
        opening:
          'Добрый день. По семейным обстоятельствам не сможем поехать {date}. Подскажите, как отменить бронь {code} и какие будут штрафы?',
        first:
          'Проверяем условия отмены для брони {code} и связываемся с организатором — возможно, он предложит перенос без штрафа.',
        resolution:
          'Отмена брони {code} оформлена. Организатор удержал фактические расходы, остаток возвращён на карту; расчёт отправили вам на почту.',
      },
      {
        subject: 'Как отменить бронь без штрафа?',
        opening:
          'Здравствуйте, бронь {code}. Можно ли отменить поездку без потери предоплаты, если до выезда ещё много времени?',
        first:
          'Да, это возможно: при отмене более чем за 30 дней до начала тура предоплата возвращается полностью. Проверяем даты по брони {code}.',
        resolution:
          'Вместо отмены организатор предложил бесплатный перенос — бронь {code} сохранена, новые даты придут письмом. Будем рады видеть вас в поездке!',
        followUps: ['А если перенести на другую дату, штрафа не будет?'],
      },
    ],
    followUps: ['Тогда отменяйте, пожалуйста. Возврат на ту же карту.', 'Подскажите, когда ждать деньги?'],
    agentMid: [
      'Организатор готов перенести поездку на любую дату в этом сезоне без доплаты. Рассмотрите такой вариант или всё же оформляем отмену?',
      'Подтвердите, пожалуйста, отмену брони {code} ответом на это сообщение — после этого запустим возврат.',
    ],
    notes: [
      'Организатор согласен на бесплатный перенос, штраф не удерживать.',
      'Медсправка получена — по политике лояльности возврат без удержаний.',
    ],
  },
  {
    category: 'payment',
    requester: 'traveler',
    lang: 'ru',
    group: 'payments',
    weight: 10,
    booking: 'required',
    fits: (b, at) => isAhead(b, at) && isLiveAt(b, at),
    tags: ['payment'],
    cases: [
      {
        subject: 'Не проходит оплата брони {code}',
        opening:
          'Здравствуйте! Пытаемся оплатить бронь {code}, но платёж отклоняется с ошибкой «Операция не выполнена». Карта рабочая, деньги на ней есть.',
        first:
          'Проверяем платёж по брони {code} в платёжной системе. Подскажите, пожалуйста, какой картой оплачиваете — российской или зарубежной?',
        resolution:
          'Платёж отклоняла антифрод-система банка. Отправили вам ссылку на оплату через СБП — по ней всё прошло, бронь {code} подтверждена.',
        followUps: [
          'Карта российская, «Мир».',
          'Банк говорит, что с их стороны ограничений нет.',
          'Пробовали другую карту — то же самое.',
        ],
      },
      {
        subject: 'Деньги списали дважды',
        opening:
          'Добрый день. При оплате тура «{tour}» деньги с карты списали два раза! Верните, пожалуйста, лишнее. Бронь {code}.',
        first:
          'Видим вашу бронь {code} и проверяем оба платежа в платёжной системе. Вернёмся с ответом в течение часа.',
        resolution:
          'Второе списание было холдированием — мы отменили его, банк вернёт деньги на карту в течение 3–5 рабочих дней. Бронь {code} оплачена один раз.',
        followUps: [
          'Скриншот из банковского приложения отправили на почту.',
          'В приложении банка оба списания в статусе «выполнено».',
        ],
      },
      {
        subject: 'Нужен чек об оплате тура',
        opening:
          'Здравствуйте, нужен кассовый чек об оплате брони {code} для отчёта на работе. Где его найти?',
        first:
          'Чек формируется автоматически после оплаты — проверяем, почему он не пришёл вам по брони {code}.',
        resolution:
          'Кассовый чек по брони {code} отправили на почту; он также доступен в личном кабинете в разделе «Мои поездки».',
        followUps: ['Почту проверили, в «Спаме» тоже нет.'],
      },
      {
        subject: 'Оплата второй части за тур «{tour}»',
        opening:
          'Подскажите, до какого числа нужно внести остаток за тур «{tour}»? В личном кабинете кнопка оплаты неактивна.',
        first:
          'Остаток по брони {code} нужно внести за 14 дней до начала тура. Проверяем, почему кнопка оплаты неактивна.',
        resolution:
          'Кнопка оплаты снова активна — это был сбой после обновления кабинета. Ссылку на доплату по брони {code} продублировали на почту.',
        followUps: ['Пробовали и с телефона, и с компьютера.'],
      },
    ],
    followUps: [],
    agentMid: [
      'Уточните, пожалуйста, время платежа и последние 4 цифры карты — так быстрее найдём операцию.',
      'Передали данные платёжному провайдеру, ждём ответа. Напишем, как только он придёт.',
    ],
    notes: [
      'В платёжке два списания по одной брони: одно отменено, второе подтверждено.',
      'Код отказа 05 от банка-эмитента, на нашей стороне всё в порядке.',
    ],
  },
  {
    category: 'payment',
    requester: 'traveler',
    lang: 'ru',
    group: 'payments',
    weight: 4,
    booking: 'none',
    tags: ['payment', 'presale'],
    cases: [
      {
        subject: 'Не могу оплатить тур',
        opening:
          'Здравствуйте! Хотим забронировать тур «{tour}» на {date}, но на шаге оплаты страница зависает. Что делать?',
        first:
          'Спасибо за интерес к туру «{tour}»! Проверим, что происходит с оплатой, — подскажите, пожалуйста, с какого устройства и браузера вы бронируете?',
        resolution: 'Ошибку на странице оплаты исправили, можно бронировать. Места на {date} пока есть.',
        followUps: ['Бронируем с телефона, браузер Safari.'],
      },
      {
        subject: 'Можно ли оплатить тур частями?',
        opening: 'Добрый день. Есть ли возможность оплатить тур «{tour}» частями или в рассрочку?',
        first:
          'Да, тур можно оплатить частями: предоплата 30% при бронировании, остаток — за 14 дней до начала. Есть и рассрочка через банк-партнёр.',
        resolution:
          'Рассрочка доступна на шаге оплаты: выберите «Оплата частями», решение банка приходит за пару минут.',
        followUps: ['А переплата при рассрочке будет?'],
      },
      {
        subject: 'Оплата по счёту от юрлица',
        opening: 'Можно ли оплатить тур «{tour}» от юрлица по счёту? Едем коллективом.',
        first:
          'Конечно! Пришлите, пожалуйста, реквизиты компании и список участников — подготовим счёт на всю группу.',
        resolution:
          'Счёт для юрлица сформирован и отправлен на почту. После оплаты брони подтвердятся автоматически.',
        followUps: ['Нас будет шесть человек, реквизиты компании отправили на почту.'],
      },
    ],
    followUps: [],
    agentMid: ['Проверяем вместе с платёжным провайдером и вернёмся с ответом сегодня.'],
    notes: [
      'Ошибка оплаты в Safari воспроизводится, создана задача в Jira.',
      'Корпоративный клиент — передать контакт в отдел продаж.',
    ],
  },
  {
    category: 'booking_change',
    requester: 'traveler',
    lang: 'ru',
    group: 'travelers',
    weight: 12,
    booking: 'required',
    fits: (b, at) => isAhead(b, at) && isActive(b),
    tags: ['date-change'],
    cases: [
      {
        subject: 'Перенос даты тура «{tour}»',
        opening:
          'Здравствуйте! Можно ли перенести бронь {code} с {date} на следующий заезд? Не успеваем с отпуском.',
        first:
          'Уточняем у организатора, есть ли места на других заездах тура «{tour}», и вернёмся с вариантами.',
        resolution:
          'Готово: бронь {code} перенесена на следующий заезд, подтверждение с новыми датами отправили на почту.',
        followUps: ['Да, следующий заезд нам подходит.'],
        mids: ['Места есть на заезде через две недели. Подтверждаете перенос?'],
      },
      {
        subject: 'Добавить участника в бронь {code}',
        opening:
          'Добрый день. К нам хочет присоединиться подруга — можно добавить ещё одного участника в бронь {code}?',
        first: 'Добавить участника можно, если в группе есть места. Проверяем с организатором.',
        resolution:
          'Участник добавлен в бронь {code}, доплата получена. Подробная программа придёт за неделю до поездки.',
        followUps: ['Данные подруги: Смирнова Анна Викторовна, 12.04.1991.', 'Сколько будет стоить доплата?'],
        mids: [
          'Организатор подтвердил место. Пришлите, пожалуйста, ФИО и дату рождения участницы — они нужны для страховки.',
        ],
      },
      {
        subject: 'Смена участника в брони {code}',
        opening:
          'Здравствуйте, в брони {code} нужно заменить участника: вместо мужа поедет сестра. Что для этого нужно?',
        first:
          'Замену можно сделать без доплаты, если организатор успеет переоформить страховку. Уточняем у него.',
        resolution: 'Данные участника в брони {code} обновлены, организатор получил новую анкету.',
        followUps: ['Данные сестры: Петрова Мария Игоревна, 03.09.1988.'],
        mids: [
          'Пришлите, пожалуйста, ФИО и дату рождения нового участника — организатору они нужны для страховки.',
        ],
      },
    ],
    followUps: [],
    agentMid: ['Ждём подтверждения от организатора, напишем, как только он ответит.'],
    notes: ['Организатор подтвердил места на новом заезде в чате партнёров.'],
  },
  {
    category: 'bonuses',
    requester: 'traveler',
    lang: 'ru',
    group: 'travelers',
    weight: 5,
    booking: 'optional',
    fits: (b, at) => hasEnded(b, at) || (isAhead(b, at) && isActive(b)),
    tags: ['bonus'],
    cases: [
      {
        subject: 'Не начислились бонусы за поездку',
        opening:
          'Здравствуйте! Съездили в тур «{tour}», а бонусы за поездку так и не начислились. Когда ждать?',
        first:
          'Проверяем бонусный счёт. Бонусы начисляются через 14 дней после окончания тура, если бронь не отменялась.',
        resolution: 'Бонусы за поездку начислены на ваш счёт, баланс обновится в течение часа.',
        followUps: ['Поездка закончилась больше двух недель назад.'],
        mids: [
          'Подскажите, пожалуйста, e-mail аккаунта, на который оформлялась бронь, — бонусы могли начислиться на другой профиль.',
        ],
      },
      {
        subject: 'Как потратить бонусы?',
        opening: 'Добрый день. На балансе {bonus} бонусов — можно ли оплатить ими весь тур или только часть?',
        first: 'Бонусами можно оплатить до 20% стоимости тура; остаток — картой или через СБП.',
        resolution:
          'Чтобы списать бонусы, на шаге оплаты включите переключатель «Оплатить бонусами» — сумма пересчитается автоматически.',
        followUps: ['А бонусы можно передать другу?'],
      },
      {
        subject: 'Сгорели бонусные баллы',
        opening: 'Почему сгорели бонусы? Нигде не видели предупреждения о сроке действия.',
        first: 'Проверяем историю бонусного счёта — вернёмся с ответом сегодня.',
        resolution:
          'Бонусы действуют 12 месяцев с даты начисления — это указано в п. 8 правил программы лояльности. Напоминание не пришло из-за сбоя рассылки, поэтому сгоревшие бонусы восстановили в порядке исключения.',
        followUps: ['Поняли. А где указан срок действия?'],
      },
      {
        subject: 'Промокод не применяется',
        opening: 'Промокод WELCOME10 не применяется при бронировании тура «{tour}», пишет «недействителен».',
        first: 'Проверяем промокод — подскажите, пожалуйста, бронировали ли вы туры раньше с этого аккаунта?',
        resolution:
          'Промокод WELCOME10 действует только на первое бронирование. В качестве извинения за неудобство начислили вам 1 000 бонусов.',
        followUps: ['Да, в прошлом году уже ездили с вами.'],
      },
    ],
    followUps: [],
    agentMid: ['Проверяем начисления в системе лояльности, вернёмся с ответом сегодня.'],
    notes: ['Бонусы не начислились из-за сбоя интеграции, начислены вручную.'],
  },
  {
    category: 'offer_terms',
    requester: 'traveler',
    lang: 'ru',
    group: 'travelers',
    weight: 4,
    booking: 'optional',
    fits: (b, at) => hasEnded(b, at) || (isAhead(b, at) && isActive(b)),
    tags: ['offer'],
    cases: [
      {
        subject: 'Условия отмены в оферте',
        opening:
          'Здравствуйте! В оферте написано, что при отмене менее чем за 14 дней возврат не производится. Это касается и болезни, и закрытия границ?',
        first:
          'Хороший вопрос! По п. 6 оферты при отмене по уважительной причине, подтверждённой документами, мы согласовываем с организатором возврат неизрасходованных средств.',
        resolution:
          'Итого: при болезни или закрытии границ нужен подтверждающий документ — тогда возвращаем всё, что организатор не успел потратить. Актуальная редакция оферты — на странице «Документы».',
        followUps: ['А если тур отменит сам организатор?'],
        mids: [
          'Если тур отменяет организатор, вы получаете полный возврат в течение 10 дней. Остались ли ещё вопросы по оферте?',
        ],
      },
      {
        subject: 'Нужен договор для работодателя',
        opening:
          'Добрый день. Работодатель компенсирует отдых — можно получить договор и закрывающие документы на тур «{tour}»?',
        first:
          'Договор-оферта принимается при бронировании, а закрывающие документы (акт и чек) формируются после поездки. Уточним, что нужно вашему работодателю.',
        resolution: 'Договор и акт на тур «{tour}» отправили на почту, оригиналы можно запросить через ЭДО.',
        followUps: ['Бухгалтерия просит договор с печатью.'],
        mids: ['Уточните, пожалуйста, на кого оформлять документы — на вас или сразу на компанию?'],
      },
      {
        subject: 'Страховка по оферте',
        opening: 'Включена ли медицинская страховка в стоимость тура «{tour}», или её нужно оформлять самим?',
        first: 'Уточняем условия страхования у организатора тура «{tour}».',
        resolution:
          'Страховка от несчастного случая входит в стоимость тура, а медицинскую для поездки за рубеж нужно оформить самостоятельно.',
        followUps: ['А на сплаве страховка тоже действует?'],
      },
      {
        subject: 'Что входит в стоимость тура?',
        opening: 'Здравствуйте! Что входит в стоимость тура «{tour}»: перелёт, питание, трансфер?',
        first: 'Проверяем программу и смету тура «{tour}» у организатора.',
        resolution:
          'В стоимость входят проживание, трёхразовое питание на маршруте, трансферы и услуги гида; перелёт оплачивается отдельно. Полную смету отправили на почту.',
        followUps: ['А снаряжение выдают?'],
      },
    ],
    followUps: [],
    agentMid: ['Уточняем у юристов и вернёмся с ответом в течение дня.'],
    notes: ['Вопрос частый — предложить дополнить статью справочного центра про отмену по болезни.'],
  },
  {
    category: 'quality_complaint',
    requester: 'traveler',
    lang: 'ru',
    group: 'claims',
    weight: 8,
    booking: 'required',
    fits: hasStarted,
    tags: ['claim', 'quality'],
    cases: [
      {
        subject: 'Жалоба на тур «{tour}»',
        opening:
          'Здравствуйте. Съездили в тур «{tour}» ({date}) и очень разочарованы: вместо заявленного гостевого дома поселили в палатках, два дня программы отменили без объяснений. Просим вернуть часть стоимости.',
        first:
          'Нам очень жаль, что поездка оказалась не такой, как вы ожидали. Претензию зарегистрировали и запросили объяснения у организатора тура «{tour}». Ответ направим в течение 10 дней.',
        resolution:
          'По итогам проверки организатор признал несоответствие программы. Возвращаем 20% стоимости тура на карту и начисляем 3 000 бонусов. Приносим извинения за испорченные впечатления.',
        followUps: ['Фото палаточного лагеря отправили на почту.'],
        mids: [
          'Организатор пояснил, что маршрут изменили из-за погоды. Пришлите, пожалуйста, фото проживания — они нужны для расчёта компенсации.',
        ],
      },
      {
        subject: 'Гид не встретил в аэропорту',
        opening:
          'Пишем прямо из поездки: гид не встретил нас в аэропорту, трансфер пришлось оплачивать самим. Бронь {code}. Просим компенсировать расходы.',
        first: 'Спасибо, что написали сразу. Связываемся с организатором, чтобы решить вопрос прямо сейчас.',
        resolution:
          'Расходы на трансфер компенсированы, возврат оформлен на карту. С организатором проведена работа по качеству.',
        followUps: ['Чеки за такси отправили на почту.', 'Гид так и не перезвонил.'],
        mids: [
          'Организатор извинился: гид перепутал рейс. Пришлите, пожалуйста, чеки за трансфер — компенсируем расходы.',
        ],
      },
      {
        subject: 'Претензия: программа не соответствовала описанию',
        opening:
          'Официальная претензия по брони {code}: программа тура «{tour}» не соответствовала описанию (не было обещанного сплава и бани). Требуем соразмерно уменьшить цену по ст. 31 Закона о защите прав потребителей.',
        first:
          'Претензия по брони {code} зарегистрирована. Запросили у организатора объяснения; официальный ответ направим в течение 10 дней, как требует закон.',
        resolution:
          'Претензия рассмотрена: организатор признал, что сплав и баня не состоялись, и согласился уменьшить цену на 25%. Официальный ответ с расчётом направили вам на почту, возврат оформлен на карту.',
        followUps: [
          'Готовы рассмотреть компенсацию бонусами, если сумма будет адекватной.',
          'Организатор на наши сообщения не отвечает.',
        ],
        mids: ['Получили ответ организатора и сейчас согласовываем размер компенсации.'],
      },
    ],
    followUps: [],
    agentMid: ['Ждём ответа организатора — срок, который мы ему дали, истекает завтра.'],
    notes: [
      'Запрошены объяснения у организатора, срок — 3 дня.',
      'Требование по ст. 31 ЗоЗПП: ответ не позднее 10 дней, срок контролировать.',
      'Организатор признал нарушения, согласована компенсация.',
    ],
  },
  {
    category: 'other',
    requester: 'traveler',
    lang: 'ru',
    group: 'travelers',
    weight: 4,
    booking: 'optional',
    fits: (b, at) => isAhead(b, at) && isActive(b),
    tags: ['question'],
    cases: [
      {
        subject: 'Не могу войти в личный кабинет',
        opening: 'Здравствуйте! Не приходит код для входа в личный кабинет, пробовали уже несколько раз.',
        first: 'Проверяем отправку кодов — подскажите, пожалуйста, на какой номер или почту вы его ждёте?',
        resolution:
          'Почтовый сервис отправлял письма в спам — исправили, код приходит. Войти можно прямо сейчас.',
        followUps: ['Код ждём на почту, в папке «Спам» тоже пусто.'],
        mids: ['Отправили код повторно. Пришёл ли он в этот раз?'],
      },
      {
        subject: 'Что взять с собой в поход?',
        opening:
          'Добрый день. Едем на тур «{tour}» — какое снаряжение нужно брать, а что выдаёт организатор?',
        first:
          'Список снаряжения есть в программе тура, а часть снаряжения организатор выдаёт на месте. Уточним детали у организатора.',
        resolution:
          'Отправили вам список снаряжения от организатора: спальник и коврик выдают на месте, треккинговую обувь и дождевик нужно взять с собой.',
        followUps: ['Спасибо! А спальник можно взять в прокат?'],
      },
      {
        subject: 'Как связаться с гидом?',
        opening:
          'Подскажите, пожалуйста, как связаться с гидом тура «{tour}» до начала поездки? Хотим уточнить место встречи.',
        first:
          'Контакты гида появятся в личном кабинете за 7 дней до начала тура. Уточним у организатора, можно ли связаться раньше.',
        resolution:
          'Отправили вам контакты гида и точку сбора. Чат группы откроется за 7 дней до начала тура.',
        followUps: ['Нам важно заранее понять, где встреча, — прилетаем ночью.'],
      },
      {
        subject: 'Справка для визы',
        opening: 'Нужна справка о бронировании тура «{tour}» для оформления визы. Можете помочь?',
        first: 'Конечно! Подскажите, пожалуйста, для какого консульства нужна справка и на кого её оформить?',
        resolution: 'Справку о бронировании отправили на почту в PDF.',
        followUps: ['Справка нужна на двоих, данные — как в брони.'],
      },
    ],
    followUps: [],
    agentMid: ['Ждём ответа организатора, вернёмся сегодня.'],
    notes: ['Письма с кодами попадали в спам у почтового провайдера клиента.'],
  },
  {
    category: 'payout',
    requester: 'organizer',
    lang: 'ru',
    group: 'organizers',
    weight: 10,
    booking: 'none',
    tags: ['payout'],
    cases: [
      {
        subject: 'Выплата за заезд {date} не поступила',
        opening:
          'Добрый день! Заезд «{tour}» {date} прошёл, а выплата по нему до сих пор не поступила. По договору — 5 банковских дней после окончания тура. Проверьте, пожалуйста.',
        first: 'Проверяем реестр выплат по туру «{tour}» — вернёмся с ответом в течение рабочего дня.',
        resolution:
          'Выплата по заезду {date} отправлена, платёжное поручение — в кабинете в разделе «Финансы». Деньги поступят в течение 1–2 банковских дней.',
        followUps: ['Реквизиты проверили, исправили БИК.'],
        mids: [
          'Выплата сформирована, но банк вернул платёж из-за ошибки в БИК. Проверьте, пожалуйста, реквизиты в кабинете.',
        ],
      },
      {
        subject: 'Смена реквизитов для выплат',
        opening:
          'Здравствуйте. Мы сменили банк и хотим обновить реквизиты для выплат. Как это сделать, чтобы не сорвать ближайшую выплату?',
        first:
          'Реквизиты меняются в кабинете организатора: «Финансы» → «Реквизиты». Новые реквизиты проходят проверку финансового отдела — до 2 рабочих дней.',
        resolution: 'Новые реквизиты проверены и активны; ближайшая выплата уйдёт уже на новый счёт.',
        followUps: ['Новые реквизиты внесли в кабинет, проверьте, пожалуйста.'],
      },
      {
        subject: 'Нужен акт сверки за прошлый месяц',
        opening:
          'Коллеги, пришлите, пожалуйста, акт сверки за прошлый месяц — бухгалтерия просит закрыть период.',
        first: 'Запросили акт сверки у финансового отдела, пришлём в течение двух рабочих дней.',
        resolution: 'Акт сверки сформирован и отправлен на почту из договора. Оригиналы придут через ЭДО.',
        followUps: ['Спасибо. А можно получать акты автоматически каждый месяц?'],
      },
      {
        subject: 'Выплата по туру «{tour}» меньше ожидаемой',
        opening:
          'Пришла выплата меньше ожидаемой по туру «{tour}». Из чего сложилась сумма? Комиссия вроде бы 15%.',
        first: 'Запросили у финансового отдела детализацию выплаты по туру «{tour}».',
        resolution:
          'Сумма выплаты — оплаты туристов минус комиссия 15% и возврат по одной отменённой брони. Подробный расчёт отправили на почту.',
        followUps: ['Туристы оплатили полностью, подтверждения у нас есть.'],
      },
    ],
    followUps: [],
    agentMid: ['Подскажите, пожалуйста, ИНН и номер договора — так финансы быстрее найдут выплату.'],
    notes: ['Финансы: выплата в реестре на пятницу.', 'У партнёра старый БИК в анкете — попросили обновить.'],
  },
  {
    category: 'listing',
    requester: 'organizer',
    lang: 'ru',
    group: 'organizers',
    weight: 8,
    booking: 'none',
    tags: ['listing'],
    cases: [
      {
        subject: 'Правки в описании тура «{tour}»',
        opening:
          'Здравствуйте! Хотим обновить программу тура «{tour}»: поменялся маршрут на третий день и добавилась баня. Через кабинет сохранить не получается — выдаёт ошибку.',
        first: 'Смотрим, что с карточкой тура. Подскажите, пожалуйста, в каком браузере появляется ошибка?',
        resolution: 'Программу обновили вручную, а ошибку сохранения разработчики исправили.',
        followUps: ['Скриншот ошибки отправили на почту.'],
        mids: [
          'Передали ошибку сохранения разработчикам, а пока можем внести правки вручную — пришлите, пожалуйста, новый текст программы.',
        ],
      },
      {
        subject: 'Не публикуется новая дата заезда',
        opening:
          'Добавили новую дату заезда в туре «{tour}», но на витрине она не отображается уже второй день. Это модерация?',
        first: 'Спасибо! Проверяем карточку тура «{tour}» — похоже, изменения ждут модерации.',
        resolution: 'Новая дата прошла модерацию и уже видна туристам.',
        followUps: ['Поняли, спасибо. Фото заменим сегодня же.', 'А сколько обычно длится модерация?'],
        mids: [
          'Модерация вернула карточку: на двух фото водяные знаки другого агентства. Замените их, пожалуйста, и отправьте тур на проверку повторно.',
        ],
      },
      {
        subject: 'Изменить цену тура «{tour}»',
        opening:
          'С нового сезона стоимость тура «{tour}» вырастет на 8%. Как поменять цену, чтобы не затронуть уже оплаченные брони?',
        first:
          'Цена меняется в карточке тура, для уже оплаченных броней она не пересчитывается. Проверим, каких неоплаченных броней коснётся изменение.',
        resolution:
          'Новая цена опубликована и применится только к новым бронированиям; неоплаченные брони сохранили старую цену.',
        followUps: ['Отлично. Новую цену уже внесли в карточку.'],
      },
      {
        subject: 'Тур пропал из поиска',
        opening: 'Наш тур «{tour}» перестал находиться в поиске по региону {region}. Что случилось?',
        first: 'Проверяем индексацию карточки тура «{tour}» — вернёмся с ответом сегодня.',
        resolution:
          'После импорта у карточки слетела привязка к региону {region} — восстановили, тур снова в поиске.',
        followUps: ['Спасибо! Заметили по падению заявок.'],
      },
    ],
    followUps: [],
    agentMid: ['Передали вопрос продуктовой команде, ждём ответа.'],
    notes: [
      'Создана задача в Jira на ошибку сохранения карточки.',
      'Модерация: фото с чужими водяными знаками, вернули партнёру.',
    ],
  },
  {
    category: 'booking_change',
    requester: 'organizer',
    lang: 'ru',
    group: 'organizers',
    weight: 5,
    booking: 'required',
    fits: (b, at) => isAhead(b, at) && isActive(b),
    tags: ['date-change', 'organizer'],
    cases: [
      {
        subject: 'Турист просит перенести бронь {code}',
        opening:
          'Добрый день! Турист по брони {code} просит перенести поездку с {date} на следующий заезд. Мы не против, но как это оформить через платформу?',
        first:
          'Спасибо, что предупредили. Свяжемся с туристом, уточним детали и оформим перенос со своей стороны.',
        resolution: 'Бронь {code} перенесена, турист и вы получили уведомления. Разницы в стоимости нет.',
        followUps: ['Да, места на следующем заезде есть.'],
        mids: [
          'Турист подтвердил перенос. Подтвердите, пожалуйста, что на новом заезде есть места для {participants} чел.',
        ],
      },
      {
        subject: 'Замена участника в брони {code}',
        opening:
          'Здравствуйте. В брони {code} (тур «{tour}») хотят заменить одного участника. Новые паспортные данные передаются через вас?',
        first:
          'Данные нового участника турист вносит в бронь сам, а вы получите обновлённую анкету. Свяжемся с туристом.',
        resolution: 'Данные участника в брони {code} обновлены, анкета доступна в кабинете организатора.',
        followUps: ['Хорошо, ждём обновлённую бронь.'],
      },
    ],
    followUps: [],
    agentMid: ['Ждём ответа туриста, напишем, как только он ответит.'],
    notes: ['Перенос согласован с туристом по телефону.'],
  },
  {
    category: 'cancellation',
    requester: 'organizer',
    lang: 'ru',
    group: 'organizers',
    weight: 4,
    booking: 'required',
    fits: isAhead,
    tags: ['organizer-cancelled'],
    cases: [
      {
        subject: 'Отмена заезда {date} — «{tour}»',
        opening:
          'Здравствуйте. К сожалению, вынуждены отменить заезд «{tour}» {date}: маршрут закрыли из-за паводка. Что делаем с туристами? Одна из броней — {code}.',
        first:
          'Спасибо, что сообщили заранее. Свяжемся со всеми туристами заезда и предложим перенос или полный возврат.',
        resolution:
          'Заезд отменён: туристам предложен перенос, по брони {code} оформлен полный возврат. При форс-мажоре штраф организатору не начисляется.',
        followUps: ['Уведомление о закрытии маршрута отправили на почту.'],
        mids: [
          'Пришлите, пожалуйста, официальное уведомление о закрытии маршрута — оно нужно для расчёта возвратов.',
        ],
      },
      {
        subject: 'Мало участников на заезд {date}',
        opening:
          'Добрый день! На заезд «{tour}» {date} набралось слишком мало участников, хотим отменить его или объединить с другой датой. Как правильно оформить, чтобы туристы не пострадали?',
        first:
          'Спасибо, что предупредили заранее. Предложим туристам перенос на соседнюю дату — если кто-то откажется, оформим полный возврат.',
        resolution:
          'Туристы согласились на перенос, бронь {code} переведена на новую дату. Отмену из-за недобора штрафом не считаем, но просим предупреждать не позднее чем за 14 дней.',
        followUps: ['Согласны, так и сделаем.'],
        mids: ['Двое туристов согласны на перенос, турист по брони {code} ещё думает. Дадим ему сутки?'],
      },
    ],
    followUps: [],
    agentMid: ['Связываемся с туристами заезда, вернёмся с итогами сегодня.'],
    notes: [
      'Форс-мажор подтверждён документом, штраф партнёру не начислять.',
      'Недобор группы: отмена без штрафа, напомнить партнёру о сроках.',
    ],
  },
  {
    category: 'offer_terms',
    requester: 'organizer',
    lang: 'ru',
    group: 'organizers',
    weight: 4,
    booking: 'none',
    tags: ['offer', 'partners'],
    cases: [
      {
        subject: 'Комиссия платформы на новый тур',
        opening:
          'Добрый день! В агентском договоре указана комиссия 15%, а в кабинете видим 17% на новый тур «{tour}». Откуда разница?',
        first: 'Уточняем условия вашего договора у команды по работе с партнёрами и вернёмся с ответом.',
        resolution:
          'Для новых туров первые 3 месяца действует комиссия 17% — она включает продвижение в подборках. Затем комиссия вернётся к 15%, как в договоре.',
        followUps: ['Понятно. А где это написано в договоре?'],
      },
      {
        subject: 'Свои условия отмены в карточке тура',
        opening:
          'Здравствуйте. Хотим установить свои условия отмены для тура «{tour}» — строже, чем в стандартной оферте. Это возможно?',
        first: 'Уточняем у юристов, какие условия можно согласовать, и вернёмся с ответом.',
        resolution:
          'Свои условия отмены возможны, если они не ухудшают положение туриста сильнее, чем допускает оферта. Направили вам шаблон допсоглашения.',
        followUps: ['Хотим удерживать 50% при отмене менее чем за 14 дней.'],
      },
    ],
    followUps: [],
    agentMid: ['Пришлите, пожалуйста, номер договора — проверим, какая редакция у вас подписана.'],
    notes: ['Согласовано с отделом партнёров: программа «Старт» для новых туров.'],
  },
  {
    category: 'other',
    requester: 'organizer',
    lang: 'ru',
    group: 'organizers',
    weight: 3,
    booking: 'none',
    tags: ['question', 'organizer'],
    cases: [
      {
        subject: 'Доступ в кабинет организатора',
        opening: 'Здравствуйте! Не можем войти в кабинет организатора: после смены телефона не приходит код.',
        first: 'Проверим доступ — подскажите, пожалуйста, e-mail, на который зарегистрирован кабинет.',
        resolution: 'Доступ восстановлен, код теперь приходит на новый номер.',
        followUps: ['Новый номер указали в письме.'],
        mids: ['Для смены телефона нужна заявка от владельца аккаунта — отправили форму на почту.'],
      },
      {
        subject: 'Как добавить второго гида?',
        opening: 'Добрый день. У нас в команде новый гид — как дать ему доступ к броням тура «{tour}»?',
        first:
          'Второго гида можно добавить в разделе «Команда» кабинета организатора. Подскажите, пожалуйста, какие права ему нужны — только просмотр броней или и редактирование?',
        resolution:
          'Отправили инструкцию: в разделе «Команда» нажмите «Пригласить» и выберите роль «Гид» — ему будут видны брони, но не финансы.',
        followUps: ['Только просмотр броней и контакты туристов.'],
      },
    ],
    followUps: [],
    agentMid: ['Проверяем настройки кабинета, вернёмся с ответом сегодня.'],
    notes: ['Проверили владельца аккаунта по договору перед изменением доступа.'],
  },
  {
    category: 'refund',
    requester: 'traveler',
    lang: 'en',
    group: 'payments',
    weight: 6,
    booking: 'required',
    fits: isRefundable,
    tags: ['refund', 'english'],
    cases: [
      {
        subject: 'Refund for cancelled booking {code}',
        opening:
          'Hello, my booking {code} for "{tour}" ({date}) was cancelled and I still have not received the refund of {paid}. Could you please check?',
        first:
          'Thank you for reaching out. We can see booking {code}: the refund has been issued and we are checking its status with the payment provider. We will get back to you today.',
        resolution:
          'The refund for booking {code} has been sent to your card. Banks usually take up to 5 business days to credit the funds.',
      },
      {
        subject: 'Still waiting for my refund',
        opening: 'Hi, our trip on {date} did not happen. When will we get our money back? Booking {code}.',
        first:
          'We are sorry about the cancelled trip. We have asked our finance team about the refund for booking {code} and will reply as soon as we hear back.',
        resolution:
          'Our finance team has confirmed the refund of {paid} for booking {code}. It should reach your card within 5 business days.',
      },
    ],
    followUps: ['The card ends with 0923.', 'Thanks, I will wait.'],
    agentMid: [
      'Could you please share the last 4 digits of the card used for payment? This will help our finance team trace the transfer.',
    ],
    notes: ['Foreign card: refunds through the acquirer take longer, confirmed with finance.'],
  },
  {
    category: 'cancellation',
    requester: 'traveler',
    lang: 'en',
    group: 'travelers',
    weight: 2,
    booking: 'required',
    fits: (b, at) => isAhead(b, at) && isLiveAt(b, at),
    tags: ['cancellation', 'english'],
    cases: [
      {
        subject: 'Cancel my booking {code}',
        opening:
          'Hello, unfortunately I have to cancel booking {code} for "{tour}" on {date}. How much will be refunded?',
        first:
          "We are sorry to hear that. Under the offer terms, cancellations more than 30 days before departure are fully refunded; later ones are refunded minus the organizer's actual costs. We are checking the costs with the organizer.",
        resolution:
          'Booking {code} has been cancelled and the refund has been issued to your card. It may take up to 10 business days.',
        followUps: ['Please go ahead with the cancellation.'],
      },
      {
        subject: 'Cancellation of "{tour}"',
        opening:
          'Hi, my flight to Russia was cancelled, so we cannot join "{tour}". Please cancel booking {code}.',
        first:
          'We are sorry your flight was cancelled. Could you send us the airline notice? With it, the organizer waives the cancellation costs.',
        resolution:
          'Booking {code} has been cancelled without any penalty and the full refund has been issued to your card.',
        followUps: ['I have forwarded the airline notice to your e-mail.'],
      },
    ],
    followUps: [],
    agentMid: [
      'Please confirm the cancellation of booking {code} by replying to this message, and we will start the refund.',
    ],
    notes: ['Flight cancellation confirmed by the airline notice, no penalty.'],
  },
  {
    category: 'booking_change',
    requester: 'traveler',
    lang: 'en',
    group: 'travelers',
    weight: 3,
    booking: 'required',
    fits: (b, at) => isAhead(b, at) && isActive(b),
    tags: ['date-change', 'english'],
    cases: [
      {
        subject: 'Change of dates for "{tour}"',
        opening: 'Hello, could we move booking {code} from {date} to a later departure of "{tour}"?',
        first:
          'Thank you for your message! We are checking availability on other departures of "{tour}" with the organizer.',
        resolution:
          'Done: booking {code} has been moved to the later departure and the new confirmation is in your inbox.',
        followUps: ['Any later date in the season works for us.'],
      },
      {
        subject: 'Can I add one more traveller to {code}?',
        opening: 'Hi! A friend would like to join us — can you add one more traveller to booking {code}?',
        first: 'Thank you! We are checking with the organizer whether there is a free seat in the group.',
        resolution:
          'The traveller has been added to booking {code}. The detailed programme will arrive a week before the trip.',
        followUps: ['Her name is Anna Weber, born 03.08.1990.'],
        mids: [
          'The organizer has a seat available. Could you please send the full name and date of birth of the new traveller?',
        ],
      },
    ],
    followUps: [],
    agentMid: ['We are still waiting for the organizer and will write as soon as they reply.'],
    notes: ['Organizer confirmed seats in the partners chat.'],
  },
  {
    category: 'payment',
    requester: 'traveler',
    lang: 'en',
    group: 'payments',
    weight: 3,
    booking: 'none',
    tags: ['payment', 'english'],
    cases: [
      {
        subject: 'Payment with a foreign card fails',
        opening:
          'Hello, I am trying to pay for "{tour}" with a Visa card issued in Germany, but the payment is declined every time. Is there another way to pay?',
        first:
          'Thank you for your interest in "{tour}"! Cards issued abroad cannot be processed by Russian payment providers at the moment, so we will send you alternative payment options.',
        resolution:
          'We have sent you a payment link from our partner that accepts foreign cards. Seats on {date} are held for you for 48 hours.',
      },
      {
        subject: 'Can I pay in EUR?',
        opening:
          'Hi, is it possible to pay for "{tour}" in EUR? My bank does not support payments in roubles.',
        first:
          'Thank you for your question! Prices are in roubles, but our partner can accept payment in EUR — we are checking the exchange terms.',
        resolution:
          'Yes: we have sent you a payment link in EUR from our partner. The rate is fixed for 48 hours.',
      },
    ],
    followUps: ['Thank you, I will try the link.'],
    agentMid: ['Could you please tell us which country your card was issued in?'],
    notes: ['Foreign-card payment link issued through the partner acquirer.'],
  },
  {
    category: 'other',
    requester: 'traveler',
    lang: 'en',
    group: 'travelers',
    weight: 3,
    booking: 'none',
    tags: ['question', 'english'],
    cases: [
      {
        subject: 'Visa support letter',
        opening: 'Hi! I need a visa support letter for my trip to Russia for "{tour}". Can you provide one?',
        first: 'Of course! We are checking the details with the organizer of "{tour}".',
        resolution: 'The visa support letter has been sent to your e-mail as a PDF.',
        followUps: ['I have sent a scan of my passport to your e-mail.'],
        mids: ['Could you please send us the passport details needed for the letter?'],
      },
      {
        subject: 'Meeting point for "{tour}"',
        opening: 'Hello, where exactly do we meet the guide on the first day of "{tour}"?',
        first: 'Thank you for your question! We are checking the details with the organizer of "{tour}".',
        resolution:
          "The meeting point and the guide's phone number are in the trip details we have just sent you. The guide speaks English.",
        followUps: ['Thanks! Does the guide speak English?'],
      },
    ],
    followUps: [],
    agentMid: ['We are waiting for the organizer and will reply today.'],
    notes: ['Visa support arranged through the partner agency.'],
  },
];

type TGenericTexts = {
  nudges: readonly string[];
  followUps: readonly string[];
  thanks: readonly string[];
  reopens: readonly string[];
  resolvedAgain: readonly string[];
  agentMid: readonly string[];
  notes: readonly string[];
  duplicates: readonly [string, ...string[]];
  greeting: string;
  signature: string;
  closing: string;
  hold: Record<TGroupKey, { reply: string; note: string }>;
};

const GENERIC: Record<TLang, TGenericTexts> = {
  ru: {
    nudges: [
      'Добрый день! Продублирую своё обращение — очень ждём ответа.',
      'Дополню: со мной удобнее связаться по телефону после 18:00.',
      'Есть кто-нибудь? Вопрос срочный.',
      'Извините за настойчивость, но когда ждать ответа?',
    ],
    followUps: [
      'Спасибо, ждём.',
      'Добрый день! Есть новости по нашему вопросу?',
      'Хорошо. Что нужно сделать с нашей стороны?',
    ],
    thanks: [
      'Спасибо большое, всё понятно!',
      'Благодарим за помощь, вопрос решён.',
      'Отлично, спасибо за оперативность!',
      'Спасибо, так и сделаем.',
    ],
    reopens: [
      'Здравствуйте, снова мы. К сожалению, вопрос так и не решился — посмотрите, пожалуйста, ещё раз.',
      'Добрый день, возвращаемся к нашему вопросу: всё ещё не получается, нужна ваша помощь.',
    ],
    resolvedAgain: [
      'Посмотрели ещё раз и довели дело до конца — теперь всё должно быть в порядке. Если что-то пойдёт не так, просто ответьте на это сообщение.',
      'Разобрались повторно и всё исправили. Спасибо за терпение!',
    ],
    agentMid: [
      'Спасибо за информацию! Уточняем детали у коллег и вернёмся с ответом в течение дня.',
      'Проверили — ждём подтверждения от организатора. Напишем, как только он ответит.',
    ],
    notes: [
      'Клиент уже обращался с похожим вопросом, см. историю обращений.',
      'Перезвонить клиенту, если не ответит до завтра.',
      'Проверено в админке маркетплейса: данные бронирования актуальны.',
    ],
    duplicates: [
      'Здравствуйте! Уже писали вам на почту, продублируем сюда: очень ждём ответа по нашему вопросу.',
      'Подробности есть в первом сообщении, ответьте, пожалуйста, как будет удобно.',
      'Дублируем обращение — вопрос срочный.',
    ],
    greeting: 'Здравствуйте, {name}!',
    signature: 'служба заботы о клиентах',
    closing: 'С уважением,',
    hold: {
      payments: {
        reply:
          'Передали вопрос в финансовый отдел — коллеги проверят платёж в банке. Обычно это занимает 1–2 рабочих дня, напишем сразу, как получим ответ.',
        note: 'Эскалация в финансы (Ирина Белова): нужна проверка платежа у эквайера.',
      },
      claims: {
        reply:
          'Претензия зарегистрирована и передана в юридический отдел. Официальный ответ направим в течение 10 дней.',
        note: 'Передано юристам (Андрей Ковалёв): претензия, ответ по закону — 10 дней.',
      },
      organizers: {
        reply: 'Запросили информацию у профильной команды, ответим в течение двух рабочих дней.',
        note: 'Ждём ответа команды партнёров и продукта.',
      },
      travelers: {
        reply:
          'Связались с организатором тура и ждём его ответа — обычно это занимает до суток. Как только он ответит, сразу напишем вам.',
        note: 'Ожидаем ответа организатора, написали ему в чат партнёров.',
      },
    },
  },
  en: {
    nudges: [
      'Hello again, just following up on my message — any news?',
      'Please note: I am available by phone after 6 pm Moscow time.',
      'Sorry to bother you, but when can I expect an answer?',
    ],
    followUps: ['Thank you, I will wait.', 'Hi, is there any update?', 'OK. Is there anything I need to do?'],
    thanks: ['Thank you so much, that helps!', 'Great, thanks for the quick help!', 'Perfect, thank you.'],
    reopens: [
      'Hello again. Unfortunately the issue is not solved yet.',
      'Hi, coming back to this: nothing has changed so far.',
    ],
    resolvedAgain: [
      'We have checked everything again and fixed it for good. If anything goes wrong, just reply to this message.',
    ],
    agentMid: [
      'Thank you for the details! We are checking with our colleagues and will get back to you within a day.',
    ],
    notes: [
      'English-speaking client, reply in English.',
      'Checked in the marketplace admin: booking data is up to date.',
    ],
    duplicates: [
      'Hello! I have already sent you an e-mail about this, writing here as well because it is urgent.',
      'The details are in my first message; please reply wherever is convenient.',
    ],
    greeting: 'Hello {name},',
    signature: 'Customer Care',
    closing: 'Best regards,',
    hold: {
      payments: {
        reply:
          'We have passed your question to our finance team to check the payment with the bank. This usually takes 1–2 business days; we will write as soon as we hear back.',
        note: 'Escalated to finance: acquirer check needed.',
      },
      claims: {
        reply:
          'Your claim has been registered and passed to our legal team. We will send you an official answer within 10 days.',
        note: 'Passed to legal: claim, statutory answer within 10 days.',
      },
      organizers: {
        reply: 'We have asked the responsible team and will reply within two business days.',
        note: 'Waiting for the partners team.',
      },
      travelers: {
        reply:
          'We have contacted the organizer and are waiting for their answer — usually within a day. We will write to you as soon as they reply.',
        note: 'Waiting for the organizer, asked in the partners chat.',
      },
    },
  },
};

const SPAM: readonly { subject: string; opening: string; second: string }[] = [
  {
    subject: 'Продвижение вашего сайта в ТОП-10 Яндекса',
    opening:
      'Добрый день! Выведем ваш сайт в ТОП-10 за 30 дней. Гарантия результата, оплата по факту. Прайс по запросу.',
    second: 'Напоминаем о нашем предложении! Скидка 50% действует до конца недели.',
  },
  {
    subject: 'База из 50 000 контактов туристов',
    opening: 'Здравствуйте! Продаём базу контактов туристов для ваших рассылок — всего 9 900 ₽. Пишите!',
    second: 'Успейте купить базу по старой цене, осталось 3 копии.',
  },
  {
    subject: 'Partnership offer: guaranteed SEO results',
    opening:
      'Dear partner, we offer guaranteed first-page rankings for your travel website. Reply to get a free audit.',
    second: 'Just bumping this up in your inbox — the free audit offer ends soon.',
  },
];

// ---------------------------------------------------------------------------------------------
// Ticket histories
// ---------------------------------------------------------------------------------------------

type TEventActor = Pick<Insertable<TicketEventsTable>, 'actor_kind' | 'actor_user_id' | 'actor_contact_id'>;

type TTicketPlan = {
  id: number;
  subject: string;
  status: TTicketStatus;
  priority: TTicketPriority;
  category: TCategory | null;
  tags: string[];
  channel: TChannel;
  requester: TContactSeed;
  lang: TLang;
  assigneeId: number | null;
  groupId: number;
  booking: TBookingSeed | null;
  isSpam: boolean;
  mergedInto: TTicketPlan | null;
  createdAt: number;
  updatedAt: number;
  solvedAt: number | null;
  closedAt: number | null;
  lastMessageAt: number | null;
  firstTouchAt: number | null;
  ownMessages: number;
  /** Time of the latest step in this ticket's own history. */
  lastAt: number;
};

type TMessagePlan = {
  id: number;
  /** The ticket the message lives on: a merged duplicate's messages live on the target. */
  ticket: TTicketPlan;
  kind: 'reply' | 'note';
  authorKind: 'agent' | 'contact';
  authorUserId: number | null;
  authorContactId: number | null;
  channel: string;
  text: string;
  at: number;
};

type TEventPlan = {
  ticket: TTicketPlan;
  type: TTicketEventType;
  actor: TEventActor;
  at: number;
  /** Evaluated after insertion, when message and ticket ids are known. */
  data: () => Record<string, unknown>;
};

type TLog = { tickets: TTicketPlan[]; messages: TMessagePlan[]; events: TEventPlan[] };

type TAuthor = { kind: 'contact'; contact: TContactSeed } | { kind: 'agent'; user: TStaffSeed };

const userActor = (user: TStaffSeed): TEventActor => ({ actor_kind: 'user', actor_user_id: user.id });
const contactActor = (contact: TContactSeed): TEventActor => ({
  actor_kind: 'contact',
  actor_contact_id: contact.id,
});
const SYSTEM: TEventActor = { actor_kind: 'system' };

/**
 * Records one ticket's history in time order. A step later than `limit` (just before now) stops the
 * story there, so a young ticket is simply caught mid-way by "now".
 */
const createStory = (ticket: TTicketPlan, limit: number, log: TLog) => {
  let stopped = false;
  const admit = (at: number): number | null => {
    const time = Math.max(at, ticket.lastAt);
    if (stopped || time > limit) {
      stopped = true;
      return null;
    }
    ticket.lastAt = time;
    ticket.updatedAt = Math.max(ticket.updatedAt, time);
    return time;
  };
  const push = (
    type: TTicketEventType,
    actor: TEventActor,
    at: number,
    data: () => Record<string, unknown>,
  ) => {
    log.events.push({ ticket, type, actor, at, data });
  };
  return {
    created: (at: number): number | null => {
      const time = admit(at);
      if (time === null) return null;
      const snapshot = {
        status: 'new',
        priority: ticket.priority,
        channel: ticket.channel,
        requesterId: ticket.requester.id,
        assigneeId: null,
        groupId: ticket.groupId,
        category: ticket.category,
      };
      push('created', contactActor(ticket.requester), time, () => snapshot);
      return time;
    },
    message: (
      kind: 'reply' | 'note',
      author: TAuthor,
      text: string,
      at: number,
      home: TTicketPlan = ticket,
    ): number | null => {
      const time = admit(at);
      if (time === null) return null;
      const message: TMessagePlan = {
        id: 0,
        ticket: home,
        kind,
        authorKind: author.kind,
        authorUserId: author.kind === 'agent' ? author.user.id : null,
        authorContactId: author.kind === 'contact' ? author.contact.id : null,
        // Same convention as the ticket service: notes are written on the 'internal' channel.
        channel: kind === 'note' ? 'internal' : ticket.channel,
        text,
        at: time,
      };
      log.messages.push(message);
      ticket.ownMessages += 1;
      if (kind === 'reply') ticket.lastMessageAt = time;
      const actor = author.kind === 'agent' ? userActor(author.user) : contactActor(author.contact);
      push(kind === 'note' ? 'note_added' : 'message_added', actor, time, () => ({
        messageId: message.id,
        kind,
        authorKind: author.kind,
        attachments: 0,
      }));
      return time;
    },
    status: (after: TTicketStatus, actor: TEventActor, at: number): number | null => {
      const before = ticket.status;
      if (before === after) return stopped ? null : Math.max(at, ticket.lastAt);
      const time = admit(at);
      if (time === null) return null;
      push('status_changed', actor, time, () => ({ before, after }));
      if (before === 'solved' && after === 'open') push('reopened', actor, time, () => ({}));
      if (after === 'solved') ticket.solvedAt = time;
      else if (after === 'closed') ticket.closedAt = time;
      else if (before === 'solved') ticket.solvedAt = null;
      ticket.status = after;
      return time;
    },
    assign: (user: TStaffSeed, actor: TEventActor, at: number): number | null => {
      const time = admit(at);
      if (time === null) return null;
      const before = ticket.assigneeId;
      push('assignee_changed', actor, time, () => ({ before, after: user.id }));
      ticket.assigneeId = user.id;
      ticket.firstTouchAt ??= time;
      return time;
    },
    tags: (after: string[], actor: TEventActor, at: number): number | null => {
      const before = ticket.tags;
      const time = admit(at);
      if (time === null) return null;
      push('tags_changed', actor, time, () => ({ before, after }));
      ticket.tags = after;
      return time;
    },
    priority: (after: TTicketPriority, actor: TEventActor, at: number): number | null => {
      const before = ticket.priority;
      const time = admit(at);
      if (time === null) return null;
      push('priority_changed', actor, time, () => ({ before, after }));
      ticket.priority = after;
      return time;
    },
    spam: (actor: TEventActor, at: number): number | null => {
      const time = admit(at);
      if (time === null) return null;
      push('spam_changed', actor, time, () => ({ before: false, after: true }));
      ticket.isSpam = true;
      return time;
    },
    raw: (type: TTicketEventType, actor: TEventActor, at: number, data: () => Record<string, unknown>) => {
      const time = admit(at);
      if (time !== null) push(type, actor, time, data);
      return time;
    },
  };
};

type TStory = ReturnType<typeof createStory>;

const isLive = (channel: TChannel) => channel === 'chat' || channel === 'telegram' || channel === 'phone';

/** The first moment at or after `at` inside the shift (Moscow time), with a little jitter. */
const onShift = (rng: TRandom, at: number, shift: TShift): number => {
  const hour = mskHour(at);
  if (hour >= shift.start && hour < shift.end) return at;
  const day = mskDayStart(at) + (hour >= shift.end ? DAY : 0);
  return day + shift.start * HOUR + rng.int(0, 40) * MINUTE;
};

/** Customers rarely write between 01:00 and 08:00 Moscow time. */
const awake = (rng: TRandom, at: number): number =>
  mskHour(at) >= 1 && mskHour(at) < 8 ? mskDayStart(at) + 8 * HOUR + rng.int(0, 90) * MINUTE : at;

const firstResponseDelay = (rng: TRandom, channel: TChannel): number => {
  switch (channel) {
    case 'chat':
      return rng.int(1, 12) * MINUTE;
    case 'phone':
      return rng.int(2, 30) * MINUTE;
    case 'telegram':
      return rng.int(5, 60) * MINUTE;
    default:
      return rng.int(15, 6 * 60) * MINUTE;
  }
};
const agentDelay = (rng: TRandom, channel: TChannel): number =>
  (isLive(channel) ? rng.int(2, 25) : rng.int(20, 5 * 60)) * MINUTE;
const contactDelay = (rng: TRandom, channel: TChannel): number =>
  (isLive(channel) && rng.chance(0.7) ? rng.int(1, 15) : rng.int(40, 30 * 60)) * MINUTE;

/** Where a ticket's history is headed; `resolved` ends solved, and closed once it is old enough. */
type TFinal = 'new' | 'open' | 'pending' | 'on_hold' | 'resolved';

const finalStatusFor = (rng: TRandom, ageDays: number): TFinal => {
  if (ageDays < 1) {
    return rng.weighted<TFinal>([
      ['new', 50],
      ['open', 17],
      ['pending', 10],
      ['on_hold', 5],
      ['resolved', 18],
    ]);
  }
  if (ageDays < 3) {
    return rng.weighted<TFinal>([
      ['new', 12],
      ['open', 20],
      ['pending', 25],
      ['on_hold', 10],
      ['resolved', 33],
    ]);
  }
  if (ageDays < 7) {
    return rng.weighted<TFinal>([
      ['new', 2],
      ['open', 8],
      ['pending', 12],
      ['on_hold', 8],
      ['resolved', 70],
    ]);
  }
  return rng.weighted<TFinal>([
    ['open', 0.5],
    ['pending', 0.5],
    ['on_hold', 1],
    ['resolved', 98],
  ]);
};

type TTexts = {
  topic: TTopic;
  case: TCase;
  generic: TGenericTexts;
  vars: Record<string, string>;
  used: Set<string>;
  isResolvedOnce: boolean;
};

/** A text from the topic's list or the generic one, avoiding repeats within a ticket. */
const say = (rng: TRandom, texts: TTexts, own: readonly string[], fallback: readonly string[]): string => {
  const pool = [...own, ...fallback];
  const fresh = pool.filter((t) => !texts.used.has(t));
  const template = rng.pick(fresh.length > 0 ? fresh : pool);
  texts.used.add(template);
  return fill(template, texts.vars);
};

/** The case's answer; after a reopening, a generic "fixed it for good". */
const resolution = (rng: TRandom, texts: TTexts): string => {
  if (texts.isResolvedOnce) return say(rng, texts, [], texts.generic.resolvedAgain);
  texts.isResolvedOnce = true;
  return fill(texts.case.resolution, texts.vars);
};

const agentText = (texts: TTexts, agent: TStaffSeed, body: string, isFirst: boolean): string => {
  const signature = texts.topic.lang === 'ru' ? agent.name.split(' ')[0] : agent.latinName;
  const greeting = isFirst ? `${fill(texts.generic.greeting, texts.vars)}\n\n` : '';
  return `${greeting}${body}\n\n${signature}\n${texts.generic.signature}`;
};

type TConversation = {
  rng: TRandom;
  story: TStory;
  ticket: TTicketPlan;
  texts: TTexts;
  final: TFinal;
  agents: readonly TStaffSeed[];
  supervisors: readonly TStaffSeed[];
  finalTags: string[];
  finalPriority: TTicketPriority;
};

const MESSAGE_BUDGET: readonly (readonly [number, number])[] = [
  [2, 10],
  [3, 22],
  [4, 25],
  [5, 18],
  [6, 12],
  [7, 8],
  [8, 5],
];

/** Plays a ticket from the customer's first message to the status it should have now. */
const playConversation = (c: TConversation): void => {
  const { rng, story, ticket, texts, final } = c;
  const customer: TAuthor = { kind: 'contact', contact: ticket.requester };
  const customerActor = contactActor(ticket.requester);
  const channel = ticket.channel;
  const opening = fill(texts.case.opening, texts.vars);
  const signed =
    channel === 'email' || channel === 'web'
      ? `${opening}\n\n${texts.generic.closing}\n${ticket.requester.name}`
      : opening;
  let t = story.created(ticket.createdAt);
  if (t !== null) t = story.message('reply', customer, signed, t);
  if (t === null) return;

  if (final === 'new') {
    if (rng.chance(0.2)) {
      const supervisor = rng.pick(c.supervisors);
      const agent = rng.pick(c.agents);
      story.assign(
        agent,
        userActor(supervisor),
        onShift(rng, t + rng.int(10, 120) * MINUTE, supervisor.shift),
      );
    }
    const nudgeAt = awake(rng, Math.max(t, ticket.lastAt) + rng.int(20, 20 * 60) * MINUTE);
    story.message('reply', customer, say(rng, texts, [], texts.generic.nudges), nudgeAt);
    return;
  }

  // First touch: the agent of the group who is on shift soonest takes it, or a supervisor hands it over.
  const raw = t + firstResponseDelay(rng, channel);
  const candidates = c.agents.map((agent) => ({ agent, at: onShift(rng, raw, agent.shift) }));
  const earliest = Math.min(...candidates.map((o) => o.at));
  const { agent, at: touchAt } = rng.pick(candidates.filter((o) => o.at - earliest < 30 * MINUTE));
  const agentActor = userActor(agent);
  const agentAuthor: TAuthor = { kind: 'agent', user: agent };
  const assigner = rng.chance(0.3) ? rng.pick(c.supervisors) : agent;
  t = story.assign(agent, userActor(assigner), touchAt);
  const after = (from: number, min: number, max: number) => from + rng.int(min, max) * MINUTE;
  if (t !== null && c.finalTags.join() !== ticket.tags.join())
    t = story.tags(c.finalTags, agentActor, after(t, 0, 2));
  if (t !== null && c.finalPriority !== ticket.priority) {
    t = story.priority(c.finalPriority, agentActor, after(t, 0, 2));
  }
  if (t === null) return;

  const budget = rng.weighted(MESSAGE_BUDGET);
  let notes = budget >= 4 && rng.chance(0.45) ? 1 : 0;
  if (budget >= 6 && rng.chance(0.3)) notes += 1;
  // Public replies after the opening alternate: agent (even index), customer (odd index), agent, …
  let length = budget - 1 - notes;
  if (final === 'pending' && length % 2 === 0) length -= 1;
  if (final === 'open' && length % 2 === 1 && length > 1 && rng.chance(0.6)) length -= 1;
  if (final === 'on_hold' && length > 1) length -= 1;
  const lastIsAgent = length % 2 === 1;
  // A ticket the customer reopens: the agent solves at `solveIndex`, the customer writes again right after.
  let solveIndex = -1;
  if (final === 'resolved' && rng.chance(0.2)) {
    const candidate = lastIsAgent ? length - 3 : length - 4;
    if (candidate >= 2) solveIndex = candidate;
  } else if (final === 'open' && !lastIsAgent && length >= 4 && rng.chance(0.1)) {
    solveIndex = length - 2;
  }
  const noteAfter = new Set<number>();
  if (notes > 0) noteAfter.add(rng.chance(0.5) ? -1 : 2 * rng.int(0, Math.floor((length - 1) / 2)));
  if (notes > 1 && length > 1) noteAfter.add(1 + 2 * rng.int(0, Math.floor((length - 2) / 2)));
  const note = (at: number) =>
    story.message('note', agentAuthor, say(rng, texts, texts.topic.notes, texts.generic.notes), at);

  if (noteAfter.has(-1)) t = note(after(t, 1, 5));
  for (let i = 0; i < length && t !== null; i++) {
    const isLast = i === length - 1;
    if (i % 2 === 0) {
      const at = i === 0 ? after(t, 2, 15) : onShift(rng, t + agentDelay(rng, channel), agent.shift);
      let body: string;
      let requested: TTicketStatus = ticket.status === 'new' ? 'open' : ticket.status;
      // Before the customer's closing "thanks" the agent gives the answer and waits for confirmation.
      const answersBeforeThanks = final === 'resolved' && !lastIsAgent && i === length - 2;
      const solves = i === solveIndex || (isLast && final === 'resolved');
      if (i === 0) {
        body = solves || answersBeforeThanks ? resolution(rng, texts) : fill(texts.case.first, texts.vars);
      } else if (solves || answersBeforeThanks) {
        body = resolution(rng, texts);
        requested = answersBeforeThanks ? 'pending' : 'solved';
      } else if (isLast && final === 'on_hold') body = texts.generic.hold[texts.topic.group].reply;
      else {
        body = say(rng, texts, texts.case.mids ?? texts.topic.agentMid, texts.generic.agentMid);
        if ((isLast && final === 'pending') || (!isLast && rng.chance(0.6))) requested = 'pending';
      }
      t = story.message('reply', agentAuthor, agentText(texts, agent, body, i === 0), at);
      if (t !== null) t = story.status(requested, agentActor, t);
      if (t !== null && i === 0) {
        // The first answer opens the ticket; it may wait on the customer or be all it takes.
        const waits = answersBeforeThanks || (isLast && final === 'pending') || (!isLast && rng.chance(0.35));
        if (waits) t = story.status('pending', agentActor, after(t, 1, 3));
        else if (solves) t = story.status('solved', agentActor, after(t, 1, 4));
      }
    } else {
      const at = awake(rng, t + contactDelay(rng, channel));
      const body =
        i === solveIndex + 1
          ? say(rng, texts, [], texts.generic.reopens)
          : isLast && final === 'resolved'
            ? say(rng, texts, [], texts.generic.thanks)
            : say(rng, texts, texts.case.followUps ?? texts.topic.followUps, texts.generic.followUps);
      t = story.message('reply', customer, body, at);
      if (t !== null) t = story.status(statusAfterContactMessage(ticket.status), customerActor, t);
      if (t !== null && isLast && final === 'resolved') {
        t = story.status('solved', agentActor, onShift(rng, t + rng.int(5, 60) * MINUTE, agent.shift));
      }
    }
    if (t !== null && noteAfter.has(i) && !isLast) t = note(after(t, 2, 30));
  }
  if (t === null) return;
  if (final === 'on_hold') {
    const hold = texts.generic.hold[texts.topic.group];
    t = story.message('note', agentAuthor, hold.note, after(t, 1, 4));
    if (t !== null) story.status('on_hold', agentActor, t);
  } else if (final === 'resolved' && ticket.status === 'solved' && ticket.solvedAt !== null) {
    if (rng.chance(0.2)) {
      story.status('closed', agentActor, onShift(rng, ticket.solvedAt + rng.int(2, 48) * HOUR, agent.shift));
    } else {
      story.status('closed', SYSTEM, ticket.solvedAt + AUTO_CLOSE_DAYS * DAY + rng.int(1, 10) * MINUTE);
    }
  }
};

const CHANNEL_MIX: readonly (readonly [TChannel, number])[] = [
  ['email', 50],
  ['chat', 25],
  ['telegram', 10],
  ['phone', 10],
  ['web', 5],
];

// Relative ticket volume by hour of the day, Moscow time.
const HOURLY: readonly (readonly [number, number])[] = [
  1, 0.5, 0.3, 0.2, 0.2, 0.3, 0.6, 1.2, 2.5, 4, 5, 5.5, 5.5, 5, 5, 5, 4.8, 4.5, 4, 3.8, 3.5, 3, 2.2, 1.5,
].map((w, hour) => [hour, w] as const);

const URGENT_WHEN_SOON: ReadonlySet<TCategory> = new Set([
  'cancellation',
  'booking_change',
  'payment',
  'refund',
]);

type TSpamSchedule = { senders: TContactSeed[]; tickets: { sender: TContactSeed; createdAt: number }[] };

type TPlanContext = {
  rng: TRandom;
  now: number;
  limit: number;
  market: TMarketplace;
  log: TLog;
  staff: readonly TStaffSeed[];
  groupIds: Record<TGroupKey, number>;
  spam: TSpamSchedule;
};

// Days ago → relative volume: the marketplace grows, and the last two days are not worked off yet.
const DAILY: readonly (readonly [number, number])[] = Array.from({ length: 60 }, (_, d) => [
  d,
  d === 0 ? 6 : d === 1 ? 4 : 1 + (2 * (59 - d)) / 59,
]);

const createdAtFor = (rng: TRandom, now: number): number => {
  const day = mskDayStart(now) - rng.weighted(DAILY) * DAY;
  const at = day + rng.weighted(HOURLY) * HOUR + rng.int(0, 59) * MINUTE;
  return at > now - 15 * MINUTE ? now - rng.int(15, 180) * MINUTE : at;
};

const newTicket = (
  fields: Partial<TTicketPlan> &
    Pick<TTicketPlan, 'subject' | 'channel' | 'requester' | 'groupId' | 'createdAt'>,
): TTicketPlan => ({
  id: 0,
  status: 'new',
  priority: 'normal',
  category: null,
  tags: [],
  lang: fields.requester.lang,
  assigneeId: null,
  booking: null,
  isSpam: false,
  mergedInto: null,
  updatedAt: fields.createdAt,
  solvedAt: null,
  closedAt: null,
  lastMessageAt: null,
  firstTouchAt: null,
  ownMessages: 0,
  lastAt: fields.createdAt,
  ...fields,
});

const textVars = (
  rng: TRandom,
  requester: TContactSeed,
  booking: TBookingSeed | null,
  tour: TTourSeed,
  at: number,
): Record<string, string> => {
  const lang = requester.lang;
  // An organizer talks about a departure that has run; a traveler about the next one.
  const departure =
    booking?.departure ??
    tour.departures.find((d) => (requester.kind === 'organizer' ? d.endsAt <= at : d.startsAt > at)) ??
    rng.pick(tour.departures);
  return {
    name: requester.firstName,
    fullName: requester.name,
    tour: tour.spec.title,
    region: tour.spec.region,
    date: formatDate(departure.startsOn, lang),
    bonus: groupDigits(Math.max(requester.bonus, 500), lang === 'ru' ? ' ' : ','),
    ...(booking && {
      code: booking.code,
      amount: formatMoney(booking.amount, lang),
      paid: formatMoney(booking.paid > 0 ? booking.paid : booking.amount - booking.bonusUsed, lang),
      participants: String(booking.participants),
    }),
  };
};

const priorityFor = (
  rng: TRandom,
  topic: TTopic,
  tripIn: number | null,
  isTripSoon: boolean,
): TTicketPriority => {
  if (isTripSoon) return URGENT_WHEN_SOON.has(topic.category) ? 'urgent' : 'high';
  if (tripIn !== null && tripIn >= 4 && tripIn <= 7 && rng.chance(0.5)) return 'high';
  if (topic.category === 'quality_complaint' && rng.chance(0.4)) return 'high';
  if (rng.chance(0.05)) return 'low';
  return rng.chance(0.04) ? 'high' : 'normal';
};

const planRegularTicket = (ctx: TPlanContext): TTicketPlan => {
  const { rng, now, market } = ctx;
  const createdAt = createdAtFor(rng, now);
  let channel = rng.weighted(CHANNEL_MIX);
  const kind: TContactKind = rng.chance(0.2) ? 'organizer' : 'traveler';
  // About one traveler ticket in eight comes from a foreign guest writing in English.
  const lang: TLang = kind === 'traveler' && rng.chance(0.125) ? 'en' : 'ru';
  const people = (kind === 'organizer' ? market.organizers : market.travelers).filter((p) => p.lang === lang);
  const reachable = (c: TContactSeed) =>
    channel === 'telegram' ? c.telegram !== null : channel === 'phone' ? c.phone !== null : true;
  if (!people.some(reachable)) channel = 'email';
  const requester = rng.weighted(people.filter(reachable).map((p) => [p, p.weight] as const));

  const related =
    kind === 'traveler'
      ? requester.bookings
      : requester.tours.flatMap((tour) => tour.departures.flatMap((d) => d.bookings));
  const known = related.filter((b) => b.bookedAt < createdAt - 10 * MINUTE);
  // People write most just before a trip, and after a cancellation they have paid for.
  const nearness = (b: TBookingSeed) => {
    if (isRefundable(b, createdAt)) return 5;
    const days = (b.departure.startsAt - createdAt) / DAY;
    return days >= 0 && days <= 4 ? 6 : days > 4 && days <= 14 ? 3 : 1;
  };
  let booking =
    known.length > 0 && rng.chance(kind === 'traveler' ? 0.85 : 0.35)
      ? rng.weighted(known.map((b) => [b, nearness(b)] as const))
      : null;
  const fitting = (b: TBookingSeed | null) =>
    TOPICS.filter(
      (topic) =>
        topic.requester === kind &&
        topic.lang === requester.lang &&
        (b === null
          ? topic.booking !== 'required'
          : topic.booking !== 'none' && (topic.fits?.(b, createdAt) ?? true)),
    );
  let topics = fitting(booking);
  if (topics.length === 0) {
    booking = null;
    topics = fitting(null);
  }
  const topic = rng.weighted(topics.map((tp) => [tp, tp.weight] as const));
  if (topic.booking === 'optional' && booking === null && rng.chance(0.3)) {
    booking = known.find((b) => topic.fits?.(b, createdAt) ?? true) ?? null;
  }
  const tour = booking?.departure.tour ?? rng.pick(kind === 'organizer' ? requester.tours : market.tours);
  const texts: TTexts = {
    topic,
    case: rng.pick(topic.cases),
    isResolvedOnce: false,
    generic: GENERIC[requester.lang],
    vars: textVars(rng, requester, booking, tour, createdAt),
    used: new Set(),
  };

  const tripIn = booking
    ? daysBetween(calendarDate(new Date(createdAt), TIME_ZONE), booking.departure.startsOn)
    : null;
  const isTripSoon = tripIn !== null && tripIn >= 0 && tripIn <= 3 && booking?.status !== 'cancelled';
  const priority = priorityFor(rng, topic, tripIn, isTripSoon);
  const finalTags = [
    ...topic.tags,
    ...(isTripSoon ? ['trip-soon'] : []),
    ...(requester.isFrequent ? ['vip'] : []),
  ];
  const final = finalStatusFor(rng, (now - createdAt) / DAY);
  const raisedByHand = final !== 'new' && (priority === 'high' || priority === 'urgent') && rng.chance(0.4);
  const ticket = newTicket({
    subject: fill(texts.case.subject, texts.vars),
    channel,
    requester,
    groupId: ctx.groupIds[topic.group],
    createdAt,
    category: topic.category,
    booking,
    // The chat widget and the web form ask for the topic, so those tickets arrive tagged.
    tags: channel === 'web' || channel === 'chat' ? finalTags : [],
    // Intake rules flag trips starting soon; some tickets are raised by hand at the first touch instead.
    priority: raisedByHand ? 'normal' : priority,
  });
  const story = createStory(ticket, ctx.limit, ctx.log);
  playConversation({
    rng,
    story,
    ticket,
    texts,
    final,
    agents: ctx.staff.filter((s) => s.role === 'agent' && s.groups.includes(topic.group)),
    supervisors: ctx.staff.filter((s) => s.role === 'supervisor'),
    finalTags,
    finalPriority: priority,
  });
  // A ticket "now" caught before anyone answered still holds the customer's reminder.
  if (ticket.ownMessages < 2) {
    const at = ticket.lastAt + Math.floor((ctx.limit - ticket.lastAt) * (0.3 + 0.6 * rng.next()));
    const nudge = say(rng, texts, [], texts.generic.nudges);
    createStory(ticket, ctx.limit, ctx.log).message(
      'reply',
      { kind: 'contact', contact: requester },
      nudge,
      at,
    );
  }
  return ticket;
};

/** Spam arrives on its own schedule; the senders exist only because they wrote. */
const planSpamSchedule = (rng: TRandom, now: number, senders: TContactSeed[]): TSpamSchedule => {
  const tickets = Array.from({ length: SPAM_TICKETS }, (_, i) => ({
    sender: senders[i % senders.length],
    createdAt: mskDayStart(now) - rng.int(2, 55) * DAY + rng.int(0, 23) * HOUR + rng.int(0, 59) * MINUTE,
  }));
  for (const sender of senders) {
    const first = Math.min(...tickets.filter((t) => t.sender === sender).map((t) => t.createdAt));
    sender.createdAt = first - rng.int(1, 30) * MINUTE;
  }
  return { senders, tickets };
};

const planSpamTicket = (
  ctx: TPlanContext,
  sender: TContactSeed,
  createdAt: number,
  index: number,
): TTicketPlan => {
  const { rng } = ctx;
  const spam = SPAM[index % SPAM.length];
  const ticket = newTicket({
    subject: spam.subject,
    channel: 'email',
    requester: sender,
    groupId: ctx.groupIds.travelers,
    createdAt,
  });
  const story = createStory(ticket, ctx.limit, ctx.log);
  const author: TAuthor = { kind: 'contact', contact: sender };
  let t = story.created(createdAt);
  if (t !== null) t = story.message('reply', author, spam.opening, t);
  if (t !== null) t = story.message('reply', author, spam.second, t + rng.int(3, 40) * HOUR);
  if (t !== null) {
    const agent = rng.pick(ctx.staff.filter((s) => s.role === 'agent' && s.groups.includes('travelers')));
    story.spam(userActor(agent), onShift(rng, t + rng.int(10, 120) * MINUTE, agent.shift));
  }
  return ticket;
};

/** The customer wrote the same thing on another channel; the agent merged it before answering. */
const planDuplicate = (ctx: TPlanContext, target: TTicketPlan): TTicketPlan => {
  const { rng } = ctx;
  const touch = target.firstTouchAt ?? target.lastAt;
  const gap = touch - target.createdAt;
  const createdAt = target.createdAt + Math.floor(gap * 0.3);
  const source = newTicket({
    subject: target.subject,
    channel: target.channel === 'email' ? 'chat' : 'email',
    requester: target.requester,
    groupId: target.groupId,
    createdAt,
    category: target.category,
    booking: target.booking,
    priority: target.priority,
  });
  const story = createStory(source, touch, ctx.log);
  const [first, ...more] = GENERIC[target.lang].duplicates;
  const author: TAuthor = { kind: 'contact', contact: target.requester };
  const mergedAt = target.createdAt + Math.floor(gap * 0.8);
  const agent = ctx.staff.find((s) => s.id === target.assigneeId) ?? ctx.staff[1];
  story.created(createdAt);
  // Merging moves the duplicate's messages onto the target, as the ticket service does.
  story.message('reply', author, first, createdAt, target);
  story.message('reply', author, rng.pick(more), target.createdAt + Math.floor(gap * 0.6), target);
  story.raw('merged_into', userActor(agent), mergedAt, () => ({ targetId: target.id, statusBefore: 'new' }));
  source.status = 'closed';
  source.closedAt = mergedAt;
  source.mergedInto = target;
  ctx.log.events.push({
    ticket: target,
    type: 'merged_from',
    actor: userActor(agent),
    at: mergedAt,
    data: () => ({ sourceId: source.id, subject: source.subject }),
  });
  target.lastMessageAt = Math.max(target.lastMessageAt ?? 0, source.lastMessageAt ?? 0);
  target.updatedAt = Math.max(target.updatedAt, mergedAt);
  return source;
};

const planTickets = (ctx: TPlanContext): void => {
  const { rng, log } = ctx;
  for (let i = 0; i < REGULAR_TICKETS; i++) log.tickets.push(planRegularTicket(ctx));
  ctx.spam.tickets.forEach((spam, i) => {
    log.tickets.push(planSpamTicket(ctx, spam.sender, spam.createdAt, i));
  });
  const mergeable = log.tickets.filter(
    (t) =>
      !t.isSpam &&
      t.status !== 'new' &&
      t.firstTouchAt !== null &&
      t.firstTouchAt - t.createdAt >= 40 * MINUTE &&
      t.ownMessages <= 6,
  );
  const targets = new Set<TTicketPlan>();
  while (targets.size < Math.min(MERGED_TICKETS, mergeable.length)) targets.add(rng.pick(mergeable));
  for (const target of targets) log.tickets.push(planDuplicate(ctx, target));
  // Ids follow creation time, as they would have in a live system.
  log.tickets.sort((a, b) => a.createdAt - b.createdAt);
};

// ---------------------------------------------------------------------------------------------
// Writing it all down
// ---------------------------------------------------------------------------------------------

const insertInChunks = async <T, R>(
  rows: readonly T[],
  insert: (part: T[]) => Promise<R[]>,
): Promise<R[]> => {
  const out: R[] = [];
  for (let i = 0; i < rows.length; i += CHUNK) out.push(...(await insert(rows.slice(i, i + CHUNK))));
  return out;
};

/** Gives each seed object the id of its row; RETURNING keeps the order of VALUES, checked by key. */
const takeIds = <T extends { id: number }>(
  items: readonly T[],
  rows: readonly { id: number; key: unknown }[],
  keyOf: (item: T) => unknown,
): void => {
  if (rows.length !== items.length) throw new AppError('INTERNAL', 'Demo seed: row count mismatch');
  rows.forEach((row, i) => {
    if (row.key !== keyOf(items[i])) throw new AppError('INTERNAL', 'Demo seed: rows came back out of order');
    items[i].id = Number(row.id);
  });
};

const ensureEmpty = async (trx: Transaction<DB>): Promise<void> => {
  const user = await trx.selectFrom('users').select('id').limit(1).executeTakeFirst();
  const contact = await trx.selectFrom('contacts').select('id').limit(1).executeTakeFirst();
  const ticket = await trx.selectFrom('tickets').select('id').limit(1).executeTakeFirst();
  if (user || contact || ticket) {
    throw new AppError('BAD_REQUEST', 'The demo workspace can only be seeded into an empty database');
  }
};

const writeWorkspace = async (
  trx: Transaction<DB>,
  staffSeeds: TStaffSeed[],
  passwordHash: string,
  now: number,
): Promise<Record<TGroupKey, number>> => {
  const at = new Date(now - 420 * DAY);
  const users = await trx
    .insertInto('users')
    .values(
      staffSeeds.map((s) => ({
        email: staffEmail(s),
        name: s.name,
        role: s.role,
        department: s.department,
        password_hash: passwordHash,
        locale: 'ru',
        created_at: at,
        updated_at: at,
      })),
    )
    .returning(['id', 'email as key'])
    .execute();
  takeIds(staffSeeds, users, staffEmail);
  const groups = GROUPS.map((g) => ({ ...g, id: 0 }));
  const groupRows = await trx
    .insertInto('groups')
    .values(GROUPS.map((g) => ({ name: g.name, description: g.description, created_at: at })))
    .returning(['id', 'name as key'])
    .execute();
  takeIds(groups, groupRows, (g) => g.name);
  const groupIds = Object.fromEntries(groups.map((g) => [g.key, g.id])) as Record<TGroupKey, number>;
  await trx
    .insertInto('group_members')
    .values(staffSeeds.flatMap((s) => s.groups.map((g) => ({ group_id: groupIds[g], user_id: s.id }))))
    .execute();
  return groupIds;
};

const writeContacts = async (trx: Transaction<DB>, contacts: readonly TContactSeed[]): Promise<void> => {
  const rows = await insertInChunks(
    contacts.map((c) => ({
      external_id: c.externalId,
      kind: c.kind,
      name: c.name,
      organization_id: c.organization?.id ?? null,
      language: c.lang,
      notes: c.notes,
      bonus_balance: c.bonus,
      discounts: JSON.stringify(c.discounts),
      created_at: new Date(c.createdAt),
      updated_at: new Date(c.createdAt),
    })),
    (part) => trx.insertInto('contacts').values(part).returning(['id', 'name as key']).execute(),
  );
  takeIds(contacts, rows, (c) => c.name);
  const identities = contacts.flatMap((c) => {
    const base = { contact_id: c.id, created_at: new Date(c.createdAt) };
    return [
      {
        ...base,
        channel: 'email',
        value: normalizeIdentity('email', c.email),
        is_verified: c.externalId !== null,
      },
      ...(c.phone
        ? [
            {
              ...base,
              channel: 'phone',
              value: normalizeIdentity('phone', c.phone),
              is_verified: c.kind === 'organizer',
            },
          ]
        : []),
      ...(c.telegram
        ? [
            {
              ...base,
              channel: 'telegram',
              value: normalizeIdentity('telegram', c.telegram),
              is_verified: false,
            },
          ]
        : []),
    ];
  });
  await insertInChunks(identities, (part) => trx.insertInto('contact_identities').values(part).execute());
};

const writeMarketplace = async (trx: Transaction<DB>, market: TMarketplace): Promise<void> => {
  const organizations = await trx
    .insertInto('organizations')
    .values(
      market.organizations.map((o) => ({
        external_id: o.externalId,
        name: o.name,
        created_at: new Date(o.createdAt),
        updated_at: new Date(o.createdAt),
      })),
    )
    .returning(['id', 'external_id as key'])
    .execute();
  takeIds(market.organizations, organizations, (o) => o.externalId);
  await writeContacts(trx, [...market.organizers, ...market.travelers]);

  const tours = await trx
    .insertInto('tours')
    .values(
      market.tours.map((tour) => ({
        external_id: tour.externalId,
        title: tour.spec.title,
        region: tour.spec.region,
        organizer_id: tour.organizer.id,
        organization_id: tour.organizer.organization?.id ?? null,
        duration_days: tour.spec.days,
        url: `https://marketplace.example.com/tours/${tour.externalId}`,
        created_at: new Date(tour.createdAt),
        updated_at: new Date(tour.createdAt),
      })),
    )
    .returning(['id', 'external_id as key'])
    .execute();
  takeIds(market.tours, tours, (tour) => tour.externalId);

  const departures = await insertInChunks(
    market.departures.map((d) => ({
      external_id: d.externalId,
      tour_id: d.tour.id,
      starts_on: d.startsOn,
      ends_on: d.endsOn,
      capacity: d.capacity,
      created_at: new Date(d.tour.createdAt),
      updated_at: new Date(d.tour.createdAt),
    })),
    (part) =>
      trx.insertInto('tour_departures').values(part).returning(['id', 'external_id as key']).execute(),
  );
  takeIds(market.departures, departures, (d) => d.externalId);

  const bookings = await insertInChunks(
    market.bookings.map((b) => ({
      external_id: b.externalId,
      code: b.code,
      traveler_id: b.traveler.id,
      departure_id: b.departure.id,
      participants: b.participants,
      status: b.status,
      amount: b.amount,
      currency: 'RUB',
      paid_amount: b.paid,
      refunded_amount: b.refunded,
      bonus_used: b.bonusUsed,
      booked_at: new Date(b.bookedAt),
      created_at: new Date(b.bookedAt),
      updated_at: new Date(b.updatedAt),
    })),
    (part) => trx.insertInto('bookings').values(part).returning(['id', 'external_id as key']).execute(),
  );
  takeIds(market.bookings, bookings, (b) => b.externalId);
};

const dateOrNull = (at: number | null): Date | null => (at === null ? null : new Date(at));

const writeTickets = async (trx: Transaction<DB>, log: TLog): Promise<number> => {
  const tickets = await insertInChunks(
    log.tickets.map((t) => ({
      subject: t.subject,
      status: t.status,
      priority: t.priority,
      category: t.category,
      tags: t.tags,
      channel: t.channel,
      requester_id: t.requester.id,
      assignee_id: t.assigneeId,
      group_id: t.groupId,
      booking_id: t.booking?.id ?? null,
      is_spam: t.isSpam,
      created_at: new Date(t.createdAt),
      updated_at: new Date(t.updatedAt),
      solved_at: dateOrNull(t.solvedAt),
      closed_at: dateOrNull(t.closedAt),
      last_message_at: dateOrNull(t.lastMessageAt),
    })),
    (part) => trx.insertInto('tickets').values(part).returning(['id', 'subject as key']).execute(),
  );
  takeIds(log.tickets, tickets, (t) => t.subject);
  for (const t of log.tickets) {
    if (t.mergedInto) {
      await trx
        .updateTable('tickets')
        .set({ merged_into_id: t.mergedInto.id })
        .where('id', '=', t.id)
        .execute();
    }
  }

  const messages = [...log.messages].sort((a, b) => a.at - b.at);
  const messageRows = await insertInChunks(
    messages.map((m) => ({
      ticket_id: m.ticket.id,
      kind: m.kind,
      author_kind: m.authorKind,
      author_user_id: m.authorUserId,
      author_contact_id: m.authorContactId,
      channel: m.channel,
      body_text: m.text,
      body_html: textToHtml(m.text),
      created_at: new Date(m.at),
    })),
    (part) => trx.insertInto('messages').values(part).returning(['id', 'ticket_id as key']).execute(),
  );
  takeIds(messages, messageRows, (m) => m.ticket.id);

  // The log is append-only and ordered by time, so each ticket's events read in order by id.
  const events = log.events.map((e, seq) => ({ e, seq })).sort((a, b) => a.e.at - b.e.at || a.seq - b.seq);
  await insertInChunks(
    events.map(({ e }) => ({
      ticket_id: e.ticket.id,
      type: e.type,
      actor_kind: e.actor.actor_kind,
      actor_user_id: e.actor.actor_user_id ?? null,
      actor_contact_id: e.actor.actor_contact_id ?? null,
      at: new Date(e.at),
      data: JSON.stringify(e.data()),
    })),
    (part) => trx.insertInto('ticket_events').values(part).execute(),
  );
  return messages.length;
};

const spamSender = (sender: { name: string; email: string }): TContactSeed =>
  contactSeed({
    kind: 'traveler',
    name: sender.name,
    email: sender.email,
    externalId: null,
    createdAt: 0,
    weight: 0,
  });

/** Seeds the demo workspace into an empty database; deterministic for a given `now`. */
export const seedDemo = async (db: Kysely<DB>, options?: { now?: Date }): Promise<TDemoSummary> => {
  const now = (options?.now ?? new Date()).getTime();
  const rng = createRandom(SEED);
  const staffSeeds = createStaff();
  const market = createMarketplace(rng, now);
  const spam = planSpamSchedule(rng, now, SPAM_SENDERS.map(spamSender));
  const passwordHash = await hashPassword(DEMO_PASSWORD);

  const log: TLog = { tickets: [], messages: [], events: [] };
  const messageCount = await db.transaction().execute(async (trx) => {
    await ensureEmpty(trx);
    const groupIds = await writeWorkspace(trx, staffSeeds, passwordHash, now);
    await writeMarketplace(trx, market);
    await writeContacts(trx, spam.senders);
    planTickets({ rng, now, limit: now - MINUTE, market, log, staff: staffSeeds, groupIds, spam });
    return writeTickets(trx, log);
  });
  return {
    users: staffSeeds.length,
    groups: GROUPS.length,
    travelers: market.travelers.length + spam.senders.length,
    organizers: market.organizers.length,
    tours: market.tours.length,
    bookings: market.bookings.length,
    tickets: log.tickets.length,
    messages: messageCount,
    logins: staffSeeds.map((s) => ({ email: staffEmail(s), password: DEMO_PASSWORD, role: s.role })),
  };
};
