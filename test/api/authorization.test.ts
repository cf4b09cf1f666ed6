import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TTokenRole } from '../../src/shared/enums.ts';
import { createTestApp, type TTestApp } from '../app.ts';

const ALL: TTokenRole[] = ['admin', 'supervisor', 'agent', 'department_member', 'integration'];
const STAFF: TTokenRole[] = ['admin', 'supervisor', 'agent'];
const SIGNED_IN = ALL;

/**
 * Who may call each route. Written by hand, independently of the access table: a route
 * missing here fails the suite, so no route ships without a decided rule.
 */
const EXPECTED: Record<string, TTokenRole[] | 'public' | 'session-only'> = {
  'GET /api/v1/health': 'public',
  'POST /api/v1/auth/login': 'public',
  'POST /api/v1/auth/logout': SIGNED_IN,
  'GET /api/v1/me': SIGNED_IN,
  // Profiles belong to people: API tokens are refused; sessions are covered in auth.test.ts.
  'PATCH /api/v1/me': 'session-only',
  'POST /api/v1/api-tokens': ['admin'],
  'GET /api/v1/api-tokens': ['admin'],
  'DELETE /api/v1/api-tokens/:id': ['admin'],
  'GET /api/v1/users': STAFF,
  'POST /api/v1/users': ['admin'],
  'GET /api/v1/users/:id': STAFF,
  'PATCH /api/v1/users/:id': ['admin'],
  'GET /api/v1/groups': STAFF,
  'POST /api/v1/groups': ['admin', 'supervisor'],
  'GET /api/v1/groups/:id': STAFF,
  'PATCH /api/v1/groups/:id': ['admin', 'supervisor'],
  'GET /api/v1/settings': ['admin', 'supervisor', 'agent', 'department_member'],
  'PATCH /api/v1/settings': ['admin'],
  'GET /api/v1/tickets': [...STAFF, 'department_member', 'integration'],
  'POST /api/v1/tickets': [...STAFF, 'integration'],
  'GET /api/v1/tickets/:id': [...STAFF, 'department_member', 'integration'],
  'PATCH /api/v1/tickets/:id': STAFF,
  'GET /api/v1/tickets/:id/messages': [...STAFF, 'department_member', 'integration'],
  'POST /api/v1/tickets/:id/messages': [...STAFF, 'department_member', 'integration'],
  'GET /api/v1/tickets/:id/events': [...STAFF, 'department_member', 'integration'],
  'GET /api/v1/tickets/:id/presence': [...STAFF, 'department_member', 'integration'],
  'POST /api/v1/tickets/bulk': STAFF,
  'POST /api/v1/tickets/:id/merge': STAFF,
  'POST /api/v1/tickets/:id/links': STAFF,
  'GET /api/v1/attachments/:id': [...STAFF, 'department_member', 'integration'],
  'GET /api/v1/search': STAFF,
  'GET /api/v1/contacts': [...STAFF, 'integration'],
  'POST /api/v1/contacts': [...STAFF, 'integration'],
  'GET /api/v1/contacts/:id': [...STAFF, 'integration'],
  'PATCH /api/v1/contacts/:id': [...STAFF, 'integration'],
  'POST /api/v1/contacts/:id/merge': STAFF,
  'POST /api/v1/marketplace/sync': ['admin', 'integration'],
  'GET /api/v1/tours': [...STAFF, 'integration'],
  'GET /api/v1/tours/:id': [...STAFF, 'integration'],
  'GET /api/v1/bookings': [...STAFF, 'integration'],
  'GET /api/v1/bookings/:id': [...STAFF, 'integration'],
  // Mailboxes hold server passwords: administrators only.
  'GET /api/v1/mailboxes': ['admin'],
  'POST /api/v1/mailboxes': ['admin'],
  'GET /api/v1/mailboxes/:id': ['admin'],
  'PATCH /api/v1/mailboxes/:id': ['admin'],
  'DELETE /api/v1/mailboxes/:id': ['admin'],
  'POST /api/v1/mailboxes/:id/test': ['admin'],
  // The inbound email quarantine shows raw customer mail: administrators only.
  'GET /api/v1/email/quarantine': ['admin'],
  'POST /api/v1/email/quarantine/:id/retry': ['admin'],
  'POST /api/v1/email/quarantine/:id/discard': ['admin'],
  // Views are personal: every API token is refused; department members' sessions are covered in views.test.ts.
  'GET /api/v1/views': 'session-only',
  'POST /api/v1/views': 'session-only',
  'PATCH /api/v1/views/:id': 'session-only',
  'DELETE /api/v1/views/:id': 'session-only',
};

let t: TTestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const apiRoutes = () => {
  const seen = new Set<string>();
  for (const r of t.app.routes) {
    if (r.method === 'ALL' || !r.path.startsWith('/api/v1/')) continue;
    seen.add(`${r.method} ${r.path}`);
  }
  return [...seen].sort();
};

describe('authorization matrix', () => {
  it('every API route has a decided rule, and every rule a route', () => {
    const routes = apiRoutes();
    expect(routes.filter((r) => !(r in EXPECTED))).toEqual([]);
    expect(Object.keys(EXPECTED).filter((r) => !routes.includes(r))).toEqual([]);
  });

  it('denies each role what it may not do (403) and lets it through otherwise', async () => {
    const failures: string[] = [];
    for (const route of apiRoutes()) {
      const [method, pattern] = route.split(' ');
      const rule = EXPECTED[route];
      if (rule === 'public' || route === 'POST /api/v1/auth/logout') continue;
      const url = pattern.replace(':id', '999999');
      const body = ['POST', 'PATCH', 'PUT'].includes(method) ? {} : undefined;
      const anonymous = await t.request(method, url, { body });
      if (anonymous.status !== 401) failures.push(`${route} anonymous → ${anonymous.status}`);
      for (const role of ALL) {
        const res = await t.request(method, url, { token: t.tokens[role], body });
        const allowed = rule !== 'session-only' && rule.includes(role);
        if (allowed && (res.status === 403 || res.status === 401))
          failures.push(`${route} ${role} → ${res.status}, expected access`);
        if (!allowed && res.status !== 403) failures.push(`${route} ${role} → ${res.status}, expected 403`);
        if (res.status >= 500) failures.push(`${route} ${role} → ${res.status}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
