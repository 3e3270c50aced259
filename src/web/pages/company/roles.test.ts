import { describe, expect, it } from 'vitest';
import type { Member, Role } from '../../api/models';
import { assignableRoles, canManageInvitation, canRemove, invitableRoles } from './roles';

// Issue 5: the Team panel shows only the buttons the permission matrix allows.
const member = (accountId: string, role: Role): Member => ({ accountId, email: `${accountId}@example.test`, firstName: 'A', lastName: 'B', role });

describe('team buttons follow the permission matrix', () => {
  it('offers the roles each viewer may invite', () => {
    expect(invitableRoles('owner')).toEqual(['owner', 'admin', 'collaborator', 'accountant']);
    expect(invitableRoles('admin')).toEqual(['admin', 'collaborator']);
    expect(invitableRoles('collaborator')).toEqual([]);
    expect(invitableRoles('accountant')).toEqual([]);
    expect(canManageInvitation('admin', 'owner')).toBe(false);
    expect(canManageInvitation('admin', 'collaborator')).toBe(true);
  });

  it('never lets anyone change their own role; admins only promote or re-assign collaborators', () => {
    expect(assignableRoles('owner', 'me', member('me', 'owner'))).toEqual([]);
    expect(assignableRoles('owner', 'me', member('x', 'admin'))).toHaveLength(4);
    expect(assignableRoles('admin', 'me', member('x', 'collaborator'))).toEqual(['admin', 'collaborator']);
    expect(assignableRoles('admin', 'me', member('x', 'admin'))).toEqual([]);
    expect(assignableRoles('admin', 'me', member('x', 'owner'))).toEqual([]);
    expect(assignableRoles('collaborator', 'me', member('x', 'collaborator'))).toEqual([]);
    expect(assignableRoles('accountant', 'me', member('x', 'collaborator'))).toEqual([]);
  });

  it('removes within the ceilings: not yourself, not the last owner, admins only admins and collaborators', () => {
    expect(canRemove('owner', 'me', member('me', 'owner'), 2)).toBe(false);
    expect(canRemove('owner', 'me', member('x', 'owner'), 2)).toBe(true);
    expect(canRemove('owner', 'me', member('x', 'owner'), 1)).toBe(false);
    expect(canRemove('owner', 'me', member('x', 'accountant'), 1)).toBe(true);
    expect(canRemove('admin', 'me', member('x', 'admin'), 1)).toBe(true);
    expect(canRemove('admin', 'me', member('x', 'collaborator'), 1)).toBe(true);
    expect(canRemove('admin', 'me', member('x', 'owner'), 2)).toBe(false);
    expect(canRemove('admin', 'me', member('x', 'accountant'), 1)).toBe(false);
    expect(canRemove('collaborator', 'me', member('x', 'collaborator'), 1)).toBe(false);
  });
});
