import { describe, expect, it } from 'vitest';
import type { TMailbox } from '../../../shared/schemas/mailboxes.ts';
import {
  createMailboxBody,
  emptyMailboxForm,
  mailboxFormOf,
  serverFieldErrors,
  updateMailboxBody,
  validateMailboxForm,
} from './mailbox-form.ts';

const MAILBOX: TMailbox = {
  id: 3,
  address: 'help@tours.example',
  name: 'Поддержка',
  groupId: 2,
  inbound: {
    type: 'imap',
    host: 'imap.tours.example',
    port: 993,
    secure: true,
    user: 'help',
    folder: 'INBOX',
    moveTo: 'Imported',
    hasPassword: true,
  },
  outbound: { host: 'smtp.tours.example', port: 587, secure: false, user: 'help', hasPassword: true },
  signature: 'Команда',
  autoAcknowledge: true,
  isActive: true,
  version: 4,
  createdAt: '2026-11-25T10:00:00.000Z',
  updatedAt: '2026-11-25T10:00:00.000Z',
};

describe('mailbox form', () => {
  it('a new mailbox needs an address, a name, an outbound server, and an IMAP password for IMAP', () => {
    expect(validateMailboxForm(emptyMailboxForm(), null)).toEqual({
      address: 'required',
      name: 'required',
      'outbound.host': 'required',
    });
    const form = {
      ...emptyMailboxForm(),
      address: 'nope',
      name: 'X',
      inboundType: 'imap' as const,
      imap: {
        host: 'bad host',
        port: 0 as const,
        secure: true,
        user: '',
        password: '',
        folder: '',
        moveTo: '',
      },
      outbound: { host: 'smtp.example', port: '' as const, secure: false, user: '', password: 'p' },
    };
    expect(validateMailboxForm(form, null)).toEqual({
      address: 'invalid',
      'imap.host': 'invalid',
      'imap.port': 'range',
      'imap.user': 'required',
      'imap.password': 'required',
      'imap.folder': 'required',
      'outbound.port': 'range',
      'outbound.user': 'required',
    });
  });

  it('an edit may leave a stored password empty: it is kept', () => {
    const form = mailboxFormOf(MAILBOX);
    expect(form.imap.password).toBe('');
    expect(validateMailboxForm(form, MAILBOX)).toEqual({});
    expect(updateMailboxBody(form, MAILBOX)).toEqual({});
  });

  it('sends only what changed; a server section goes whole, with a password only when typed', () => {
    const form = mailboxFormOf(MAILBOX);
    form.name = ' Бронирования ';
    form.outbound.port = 465;
    form.outbound.secure = true;
    expect(updateMailboxBody(form, MAILBOX)).toEqual({
      name: 'Бронирования',
      outbound: { host: 'smtp.tours.example', port: 465, secure: true, user: 'help' },
    });
    form.imap.password = 'new-secret';
    form.groupId = null;
    expect(updateMailboxBody(form, MAILBOX)).toMatchObject({
      groupId: null,
      // The whole section goes, so the stored move-to folder goes with it rather than being lost.
      inbound: { type: 'imap', host: 'imap.tours.example', moveTo: 'Imported', password: 'new-secret' },
    });
    const toSmtp = { ...mailboxFormOf(MAILBOX), inboundType: 'smtp' as const };
    expect(updateMailboxBody(toSmtp, MAILBOX)).toEqual({ inbound: { type: 'smtp' } });
  });

  it('builds the create request; no user means no password and no authentication', () => {
    const form = {
      ...emptyMailboxForm(),
      address: ' sales@tours.example ',
      name: 'Продажи',
      outbound: { host: 'smtp.example', port: 25 as const, secure: false, user: '', password: '' },
    };
    expect(createMailboxBody(form)).toEqual({
      address: 'sales@tours.example',
      name: 'Продажи',
      groupId: null,
      inbound: { type: 'smtp' },
      outbound: { host: 'smtp.example', port: 25, secure: false, user: null },
      signature: '',
      autoAcknowledge: false,
    });
  });

  it('maps a 400’s field paths onto the form', () => {
    expect(
      serverFieldErrors([
        { path: 'outbound.port', message: 'Too big' },
        { path: 'inbound.password', message: 'Needed' },
        { path: 'address', message: 'Bad' },
        { path: 'address', message: 'Second' },
        'junk',
      ]),
    ).toEqual({ 'outbound.port': 'Too big', 'imap.password': 'Needed', address: 'Bad' });
    expect(serverFieldErrors(undefined)).toEqual({});
  });
});
