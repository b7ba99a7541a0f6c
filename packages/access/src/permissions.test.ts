import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { actions, can, canChangeMembership, isAction, isRole, roles, type Role } from './index.js';

/** The Actions table of docs/permissions.md, as { action → roles allowed }. */
function readDocumentedTable(): Map<string, Role[]> {
  const markdown = readFileSync(new URL('../../../docs/permissions.md', import.meta.url), 'utf8');
  const lines = markdown.split('\n').map((line) => line.trim());
  const headerIndex = lines.findIndex((line) => /^\|\s*action\s*\|/.test(line));
  if (headerIndex < 0) throw new Error('docs/permissions.md has no "| action |" table');
  const cells = (line: string): string[] => line.slice(1, line.endsWith('|') ? -1 : undefined).split('|').map((cell) => cell.trim());
  const header = cells(lines[headerIndex] ?? '');
  const roleColumns = header.slice(1, 1 + roles.length);
  expect(roleColumns).toEqual([...roles]);

  const table = new Map<string, Role[]>();
  for (const line of lines.slice(headerIndex + 2)) {
    if (!line.startsWith('|')) break;
    const [action = '', ...marks] = cells(line);
    const name = action.replace(/`/g, '');
    expect(table.has(name), `${name} is listed twice`).toBe(false);
    const allowed: Role[] = [];
    roles.forEach((role, i) => {
      const mark = marks[i];
      if (mark !== '✓' && mark !== '—') throw new Error(`docs/permissions.md: ${name}/${role} is "${String(mark)}", expected ✓ or —`);
      if (mark === '✓') allowed.push(role);
    });
    table.set(name, allowed);
  }
  return table;
}

describe('the permission table', () => {
  it('is exactly the table in docs/permissions.md', () => {
    const documented = readDocumentedTable();
    expect([...documented.keys()].sort()).toEqual([...actions].sort());
    for (const action of actions) {
      expect(roles.filter((role) => can(role, action)), action).toEqual(documented.get(action));
    }
  });

  it('never lets a viewer export or read personal data, and gives every higher role what a lower one has', () => {
    expect(can('viewer', 'data.export')).toBe(false);
    expect(can('viewer', 'personal_data.read')).toBe(false);
    for (const action of actions) {
      for (let i = 1; i < roles.length; i++) {
        const lower = roles[i];
        const higher = roles[i - 1];
        if (lower !== undefined && higher !== undefined && can(lower, action)) expect(can(higher, action), `${higher} ${action}`).toBe(true);
      }
    }
  });

  it('keeps the encryption keys with owners alone', () => {
    expect(roles.filter((role) => can(role, 'keys.manage'))).toEqual(['owner']);
  });

  it('refuses roles and actions it does not know (values from outside the type system)', () => {
    expect(can('superadmin' as Role, 'users.manage')).toBe(false);
    expect(can('owner', 'everything' as never)).toBe(false);
    expect(can('owner', '__proto__' as never)).toBe(false);
    expect(isRole('admin')).toBe(true);
    expect(isRole('toString')).toBe(false);
    expect(isAction('audit.read')).toBe(true);
    expect(isAction(42)).toBe(false);
  });
});

describe('canChangeMembership', () => {
  it('lets admins add, remove and re-role members below owner', () => {
    expect(canChangeMembership('admin', null, 'analyst')).toBe(true);
    expect(canChangeMembership('admin', 'viewer', 'admin')).toBe(true);
    expect(canChangeMembership('admin', 'analyst', null)).toBe(true);
  });

  it('leaves the owner role to owners: no self-promotion, no pushing an owner out', () => {
    expect(canChangeMembership('admin', 'admin', 'owner')).toBe(false);
    expect(canChangeMembership('admin', null, 'owner')).toBe(false);
    expect(canChangeMembership('admin', 'owner', 'viewer')).toBe(false);
    expect(canChangeMembership('admin', 'owner', null)).toBe(false);
    expect(canChangeMembership('owner', 'admin', 'owner')).toBe(true);
    expect(canChangeMembership('owner', 'owner', null)).toBe(true);
  });

  it('gives analysts and viewers no say over membership, and treats a no-op as nothing to allow', () => {
    for (const actor of ['analyst', 'viewer'] as const) {
      expect(canChangeMembership(actor, null, 'viewer')).toBe(false);
      expect(canChangeMembership(actor, 'viewer', 'analyst')).toBe(false);
      expect(canChangeMembership(actor, 'viewer', null)).toBe(false);
    }
    expect(canChangeMembership('owner', 'viewer', 'viewer')).toBe(false);
  });
});
