import { describe, expect, it } from 'vitest';
import { allowedSections, sectionOfPath } from './admin-access.ts';

describe('admin access', () => {
  it('opens only the sections the role allows, in tab order', () => {
    const admin = () => true;
    const supervisor = (p: string) => ['group.manage', 'user.read'].includes(p);
    const agent = (p: string) => p === 'user.read';
    expect(allowedSections(admin)).toEqual(['users', 'groups', 'tokens', 'email', 'quarantine', 'settings']);
    expect(allowedSections(supervisor)).toEqual(['groups']);
    expect(allowedSections(agent)).toEqual([]);
  });

  it('reads the section from the path', () => {
    expect(sectionOfPath('/admin/tokens')).toBe('tokens');
    expect(sectionOfPath('/admin/email')).toBe('email');
    expect(sectionOfPath('/admin/quarantine')).toBe('quarantine');
    expect(sectionOfPath('/admin/settings/extra')).toBe('settings');
    expect(sectionOfPath('/admin')).toBeNull();
    expect(sectionOfPath('/admin/unknown')).toBeNull();
  });
});
