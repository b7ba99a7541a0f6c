/** Roles in the words staff use; the permission table itself lives in @kindling/access. */
const ROLES: Record<string, { label: string; summary: string }> = {
  owner: { label: 'Owner', summary: 'can manage everything, including members, settings and encryption keys' },
  admin: { label: 'Administrator', summary: 'can manage members and settings, and work with all supporter data' },
  analyst: { label: 'Analyst', summary: 'can import data, run models and see supporter details' },
  viewer: { label: 'Viewer', summary: 'can see dashboards and scores, but not personal details' },
};

export function roleLabel(role: string): string {
  return ROLES[role]?.label ?? role.replace(/_/g, ' ').replace(/^\w/, (first) => first.toUpperCase());
}

export function roleSummary(role: string): string | null {
  return ROLES[role]?.summary ?? null;
}
