import { Button, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { Fragment, useId, useRef, useState } from 'react';
import { roleLabel } from '../account/role-labels';
import { describeApiError } from '../api/api-error-details';
import { expiresIn, formatDate } from './admin-format';
import { revokeInvitation, type Member, type PendingInvitation } from './organisation-admin-api';
import type { AdminContext } from './settings-access';
import { Announcement, ConfirmRow, LoadFailed, ProblemAlert, TableFrame, TableSkeleton } from './settings-parts';
import type { Resource } from './use-resource';
import classes from './settings.module.css';

interface InvitationsSectionProps {
  context: AdminContext;
  invitations: Resource<PendingInvitation[]>;
  members: readonly Member[];
  reload: () => void;
  refresh: () => void;
}

const withdrawButtonId = (id: string) => `withdraw-${id}`;

/** Invitations not yet accepted, withdrawn or expired, each with a way to withdraw it. */
export function InvitationsSection({ context, invitations, members, reload, refresh }: InvitationsSectionProps) {
  const headingId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  // Rendering time for "in 3 days"; a stale value only overstates the time left by minutes.
  const [now] = useState(() => new Date());
  const inviter = (userId: string | null) =>
    userId === null ? 'Kindling' : userId === context.selfUserId ? 'You' : (members.find((member) => member.userId === userId)?.email ?? 'A former member');

  async function withdraw(invitation: PendingInvitation) {
    setProblem(null);
    try {
      await revokeInvitation(context.orgId, invitation.id);
      setAnnouncement(`The invitation${invitation.email ? ` for ${invitation.email}` : ''} has been withdrawn. Its link no longer works.`);
      setConfirming(null);
      heading.current?.focus();
    } catch (error) {
      setProblem(describeApiError(error));
      throw error;
    } finally {
      refresh();
    }
  }

  return (
    <section aria-labelledby={headingId} className={classes.section}>
      <Title order={2} size="h3" id={headingId} ref={heading} tabIndex={-1}>
        Invitations waiting to be accepted
      </Title>
      <Announcement text={announcement} />
      <ProblemAlert problem={problem} />
      {invitations.status === 'loading' ? <TableSkeleton rows={1} /> : null}
      {invitations.status === 'failed' ? (
        <LoadFailed title="The invitations could not be loaded" error={invitations.error} onRetry={reload} />
      ) : null}
      {invitations.status === 'ready' && invitations.data.length === 0 ? (
        <Text className={classes.empty} mt="sm">
          No invitations are waiting. People you invite appear here until they accept.
        </Text>
      ) : null}
      {invitations.status === 'ready' && invitations.data.length > 0 ? (
        <TableFrame label="Invitations waiting to be accepted table">
          <Table verticalSpacing="sm" horizontalSpacing="md" aria-labelledby={headingId} mt="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Invited</Table.Th>
                <Table.Th scope="col">Role</Table.Th>
                <Table.Th scope="col">Sent by</Table.Th>
                <Table.Th scope="col">Expires</Table.Th>
                <Table.Th scope="col">
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {invitations.data.map((invitation) => {
                const who = invitation.email ?? 'An account that no longer exists';
                return (
                  <Fragment key={invitation.id}>
                    <Table.Tr>
                      <Table.Td className={classes.cellMain}>{who}</Table.Td>
                      <Table.Td>{roleLabel(invitation.role)}</Table.Td>
                      <Table.Td>
                        {inviter(invitation.invitedBy)}, {formatDate(invitation.createdAt)}
                      </Table.Td>
                      <Table.Td>{expiresIn(invitation.expiresAt, now)}</Table.Td>
                      <Table.Td className={classes.actions}>
                        {confirming === invitation.id ? null : (
                          <Button
                            id={withdrawButtonId(invitation.id)}
                            variant="default"
                            size="sm"
                            aria-label={`Withdraw the invitation for ${who}`}
                            onClick={() => {
                              setConfirming(invitation.id);
                            }}
                          >
                            Withdraw
                          </Button>
                        )}
                      </Table.Td>
                    </Table.Tr>
                    {confirming === invitation.id ? (
                      <ConfirmRow
                        columns={5}
                        message={`Withdraw the invitation for ${who}? The link stops working at once.`}
                        confirmLabel="Yes, withdraw"
                        onConfirm={() => withdraw(invitation)}
                        onCancel={() => {
                          setConfirming(null);
                        }}
                        askedBy={withdrawButtonId(invitation.id)}
                      />
                    ) : null}
                  </Fragment>
                );
              })}
            </Table.Tbody>
          </Table>
        </TableFrame>
      ) : null}
    </section>
  );
}
