import type { Action, Role } from '@kindling/access';
import { Button, Paper, Text, ThemeIcon, Title } from '@mantine/core';
import { IconLayoutDashboard, IconLock } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { roleLabel } from '../account/role-labels';
import { useSession } from '../auth/use-session';
import { PageHeader } from '../layout/page-header';
import { allows, currentRole } from './admin-permissions';
import classes from './settings.module.css';

/** Who is looking at a settings screen, in which organisation. */
export interface AdminContext {
  orgId: string;
  orgName: string;
  role: Role;
  selfUserId: string;
}

export function useAdminContext(): AdminContext | null {
  const { state } = useSession();
  if (state.status !== 'active') return null;
  const { session } = state;
  const role = currentRole(session);
  const organisation = session.organisations.find((candidate) => candidate.id === session.currentOrganisationId);
  if (!organisation || role === null) return null;
  return { orgId: organisation.id, orgName: organisation.name, role, selfUserId: session.user.id };
}

function NoAccess({ title, role }: { title: string; role: Role | null }) {
  return (
    <>
      <PageHeader title={title} />
      <Paper component="section" aria-labelledby="no-access-heading" withBorder radius="lg" className={classes.noAccess}>
        <ThemeIcon variant="light" color="gray" size="xl" radius="xl" mb="md" aria-hidden>
          <IconLock size={22} stroke={1.75} />
        </ThemeIcon>
        <Title order={2} size="h3" id="no-access-heading">
          You don’t have access to this page
        </Title>
        <Text mt="xs">
          {role
            ? `Only owners and administrators can see it, and your role here is ${roleLabel(role)}.`
            : 'Only owners and administrators of an organisation can see it.'}{' '}
          If you need it, ask an owner or administrator of your organisation.
        </Text>
        <Button component={Link} to="/" mt="lg" leftSection={<IconLayoutDashboard size={18} stroke={1.75} aria-hidden />}>
          Go to Overview
        </Button>
      </Paper>
    </>
  );
}

/**
 * Shows `children(context)` only to roles that may `requires`; everyone else gets a clear
 * explanation instead. The API refuses them anyway: this spares them an error page.
 */
export function RequirePermission({ requires, title, children }: { requires: Action; title: string; children: (context: AdminContext) => ReactNode }) {
  const context = useAdminContext();
  if (context === null || !allows(context.role, requires)) return <NoAccess title={title} role={context?.role ?? null} />;
  return children(context);
}

/** The settings landing page is open to anyone signed in; it lists only what their role may use. */
export function useSettingsRole(): Role | null {
  return useAdminContext()?.role ?? null;
}
