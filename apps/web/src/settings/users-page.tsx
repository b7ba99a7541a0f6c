import { useCallback } from 'react';
import { PageHeader } from '../layout/page-header';
import { InvitationsSection } from './invitations-section';
import { InviteForm } from './invite-form';
import { MembersSection } from './members-section';
import { fetchInvitations, fetchMembers } from './organisation-admin-api';
import { RequirePermission, type AdminContext } from './settings-access';
import { BackToSettings } from './settings-parts';
import { useResource } from './use-resource';

const TITLE = 'Users and invitations';

function UsersScreen({ context }: { context: AdminContext }) {
  const { orgId } = context;
  const members = useResource(useCallback((signal: AbortSignal) => fetchMembers(orgId, signal), [orgId]));
  const invitations = useResource(useCallback((signal: AbortSignal) => fetchInvitations(orgId, signal), [orgId]));

  return (
    <>
      <BackToSettings />
      <PageHeader title={TITLE} description={`Who can sign in to Kindling for ${context.orgName}, and what each person can do.`} />
      <MembersSection context={context} members={members.resource} reload={members.reload} refresh={members.refresh} />
      <InviteForm context={context} onInvited={invitations.refresh} />
      <InvitationsSection
        context={context}
        invitations={invitations.resource}
        members={members.resource.status === 'ready' ? members.resource.data : []}
        reload={invitations.reload}
        refresh={invitations.refresh}
      />
    </>
  );
}

export function UsersPage() {
  return (
    <RequirePermission requires="users.manage" title={TITLE}>
      {(context) => <UsersScreen context={context} />}
    </RequirePermission>
  );
}
