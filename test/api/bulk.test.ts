import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZMe } from '../../src/shared/schemas/auth.ts';
import { ZPage } from '../../src/shared/schemas/common.ts';
import { ZBulkUpdateTicketsResponse, ZTicketDetail, ZTicketEvent } from '../../src/shared/schemas/tickets.ts';
import { createTestApp, PASSWORD, type TTestApp } from '../app.ts';

let t: TTestApp;
let seq = 0;
let agentSession: Record<string, string>;

const createTicket = async (body: Record<string, unknown> = {}) => {
  const res = await t.request('POST', '/api/v1/tickets', {
    token: t.tokens.agent,
    body: {
      subject: `Bulk ticket ${++seq}`,
      requester: { identity: { channel: 'email', value: `bulk.${seq}@bulk.test` } },
      ...body,
    },
  });
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return res.parse(ZTicketDetail);
};
const getTicket = async (id: number) =>
  (await t.request('GET', `/api/v1/tickets/${id}`, { token: t.tokens.agent })).parse(ZTicketDetail);
const eventTypes = async (id: number) =>
  (await t.request('GET', `/api/v1/tickets/${id}/events`, { token: t.tokens.agent }))
    .parse(ZPage(ZTicketEvent))
    .items.map((e) => e.type);
const bulk = (
  body: unknown,
  auth: { token?: string; headers?: Record<string, string> } = { token: t.tokens.agent },
) => t.request('POST', '/api/v1/tickets/bulk', { ...auth, body });

beforeAll(async () => {
  t = await createTestApp();
  const login = await t.request('POST', '/api/v1/auth/login', {
    body: { email: t.users.agent.email, password: PASSWORD },
  });
  agentSession = {
    cookie: login.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; '),
    'x-csrf-token': login.parse(ZMe).csrfToken ?? '',
  };
});
afterAll(async () => t?.close());

describe('bulk ticket actions', () => {
  it('apply the change ticket by ticket: allowed ones succeed, refused ones say why, none stops the rest', async () => {
    const fresh = await createTicket({ tags: ['old', 'keep'] });
    const open = await createTicket({ status: 'open', tags: ['keep'] });
    const solved = await createTicket({ status: 'solved', tags: ['old'] });
    const closed = await createTicket({ status: 'solved' });
    const patch = await t.request('PATCH', `/api/v1/tickets/${closed.id}`, {
      token: t.tokens.agent,
      body: { status: 'closed' },
    });
    expect(patch.status).toBe(200);
    const closedVersion = (await getTicket(closed.id)).version;

    const res = await bulk(
      {
        ids: [fresh.id, solved.id, 999_999, open.id, closed.id],
        set: { status: 'pending', assigneeId: t.users.agent.id, addTags: ['vip'], removeTags: ['old'] },
      },
      { headers: agentSession },
    );
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    const { results } = res.parse(ZBulkUpdateTicketsResponse);
    const after = {
      fresh: await getTicket(fresh.id),
      open: await getTicket(open.id),
      solved: await getTicket(solved.id),
      closed: await getTicket(closed.id),
    };
    expect(results).toEqual([
      { id: fresh.id, ok: true, version: after.fresh.version },
      {
        id: solved.id,
        ok: false,
        error: { code: 'INVALID_STATUS_TRANSITION', message: 'Cannot change status from solved to pending' },
      },
      { id: 999_999, ok: false, error: { code: 'TICKET_NOT_FOUND', message: expect.any(String) } },
      { id: open.id, ok: true, version: after.open.version },
      { id: closed.id, ok: false, error: { code: 'TICKET_CLOSED', message: expect.any(String) } },
    ]);

    expect(after.fresh).toMatchObject({
      status: 'pending',
      assigneeId: t.users.agent.id,
      tags: ['keep', 'vip'],
    });
    expect(after.open).toMatchObject({
      status: 'pending',
      assigneeId: t.users.agent.id,
      tags: ['keep', 'vip'],
    });
    expect(after.fresh.version).toBeGreaterThan(fresh.version);
    // A refused ticket is left exactly as it was: one transaction per ticket.
    expect(after.solved).toMatchObject({
      status: 'solved',
      assigneeId: null,
      tags: ['old'],
      version: solved.version,
    });
    expect(after.closed.version).toBe(closedVersion);

    // The same history as a PATCH, written by the person who ran the action.
    expect(await eventTypes(fresh.id)).toEqual(
      expect.arrayContaining(['status_changed', 'assignee_changed', 'tags_changed']),
    );
    const events = (await t.request('GET', `/api/v1/tickets/${open.id}/events`, { token: t.tokens.agent }))
      .parse(ZPage(ZTicketEvent))
      .items.filter((e) => e.type === 'tags_changed');
    expect(events.at(-1)).toMatchObject({
      actor: { kind: 'user', id: t.users.agent.id },
      data: { before: ['keep'], after: ['keep', 'vip'] },
    });
  });

  it('a change that changes nothing answers ok with the unchanged version and writes no event', async () => {
    const ticket = await createTicket({ priority: 'high' });
    const before = await eventTypes(ticket.id);
    const res = await bulk({ ids: [ticket.id], set: { priority: 'high', removeTags: ['absent'] } });
    expect(res.parse(ZBulkUpdateTicketsResponse).results).toEqual([
      { id: ticket.id, ok: true, version: ticket.version },
    ]);
    expect(await eventTypes(ticket.id)).toEqual(before);
  });

  it('checks assignee and group per ticket like PATCH, and can clear them', async () => {
    const a = await createTicket();
    const unknownUser = await bulk({ ids: [a.id], set: { assigneeId: 999_999 } });
    expect(unknownUser.parse(ZBulkUpdateTicketsResponse).results[0]).toMatchObject({
      ok: false,
      error: { code: 'USER_NOT_FOUND' },
    });
    const department = await bulk({ ids: [a.id], set: { assigneeId: t.users.department_member.id } });
    expect(department.parse(ZBulkUpdateTicketsResponse).results[0]).toMatchObject({
      ok: false,
      error: { code: 'USER_NOT_FOUND' },
    });
    const noGroup = await bulk({ ids: [a.id], set: { groupId: 999_999 } });
    expect(noGroup.parse(ZBulkUpdateTicketsResponse).results[0]).toMatchObject({
      ok: false,
      error: { code: 'GROUP_NOT_FOUND' },
    });
    await bulk({ ids: [a.id], set: { assigneeId: t.users.supervisor.id, priority: 'urgent' } });
    expect(await getTicket(a.id)).toMatchObject({ assigneeId: t.users.supervisor.id, priority: 'urgent' });
    const cleared = await bulk({ ids: [a.id], set: { assigneeId: null, groupId: null } });
    expect(cleared.parse(ZBulkUpdateTicketsResponse).results[0].ok).toBe(true);
    expect(await getTicket(a.id)).toMatchObject({ assigneeId: null, groupId: null });
  });

  it('refuses a malformed request as a whole with 400', async () => {
    const a = await createTicket();
    for (const body of [
      { ids: [], set: { priority: 'low' } },
      { ids: Array.from({ length: 201 }, (_, i) => i + 1), set: { priority: 'low' } },
      { ids: [a.id, a.id], set: { priority: 'low' } },
      { ids: [0], set: { priority: 'low' } },
      { ids: ['1'], set: { priority: 'low' } },
      { ids: [a.id], set: {} },
      { ids: [a.id] },
      { ids: [a.id], set: { status: 'archived' } },
      { ids: [a.id], set: { subject: 'Renamed' } },
      { ids: [a.id], set: { tags: ['replace'] } },
      { ids: [a.id], set: { addTags: ['x'], removeTags: ['x'] } },
      { ids: [a.id], set: { addTags: ['has space'] } },
    ]) {
      const res = await bulk(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.errorCode).toBe('VALIDATION_FAILED');
    }
    expect((await getTicket(a.id)).version).toBe(a.version);
  });

  it('takes 200 tickets at once', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) ids.push((await createTicket()).id);
    const padded = [...ids, ...Array.from({ length: 197 }, (_, i) => 1_000_000 + i)];
    const res = await bulk({ ids: padded, set: { priority: 'low' } });
    const { results } = res.parse(ZBulkUpdateTicketsResponse);
    expect(results).toHaveLength(200);
    expect(results.filter((r) => r.ok).map((r) => r.id)).toEqual(ids);
  });

  it('is for people who may change tickets: department members and integrations get 403', async () => {
    const a = await createTicket();
    for (const role of ['department_member', 'integration'] as const) {
      const res = await bulk({ ids: [a.id], set: { priority: 'low' } }, { token: t.tokens[role] });
      expect(res.status, role).toBe(403);
    }
    expect((await bulk({ ids: [a.id], set: { priority: 'low' } }, {})).status).toBe(401);
  });
});
