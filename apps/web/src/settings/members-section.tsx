import type { Role } from '@kindling/access';
import { Badge, Button, Group, NativeSelect, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { Fragment, useId, useRef, useState } from 'react';
import { InlineConfirm } from '../account/inline-confirm';
import { roleLabel } from '../account/role-labels';
import { describeApiError } from '../api/api-error-details';
import { memberChoices } from './admin-permissions';
import { formatDate } from './admin-format';
import { changeMemberRole, removeMember, resetMemberMfa, type Member } from './organisation-admin-api';
import type { AdminContext } from './settings-access';
import { Announcement, LoadFailed, ProblemAlert, TableFrame, TableSkeleton } from './settings-parts';
import type { Resource } from './use-resource';
import classes from './settings.module.css';

type Pending = { kind: 'role'; userId: string; role: Role } | { kind: 'remove'; userId: string } | { kind: 'reset-mfa'; userId: string };

interface MembersSectionProps {
  context: AdminContext;
  members: Resource<Member[]>;
  reload: () => void;
  refresh: () => void;
}

const roleSelectId = (userId: string) => `role-${userId}`;
const removeButtonId = (userId: string) => `remove-${userId}`;
const resetButtonId = (userId: string) => `reset-mfa-${userId}`;

/** Everyone in the organisation, with their role, and the changes the signed-in person may make. */
export function MembersSection({ context, members, reload, refresh }: MembersSectionProps) {
  const headingId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const [problem, setProblem] = useState<string | null>(null);

  const list = members.status === 'ready' ? members.data : [];

  function cancel(focusId: string) {
    setPending(null);
    requestAnimationFrame(() => document.getElementById(focusId)?.focus());
  }

  async function apply(change: Pending, member: Member) {
    setProblem(null);
    try {
      if (change.kind === 'role') {
        await changeMemberRole(context.orgId, member.userId, change.role);
        setAnnouncement(`${member.email} is now ${roleLabel(change.role)}. They have been signed out and will sign in again with the new role.`);
      } else if (change.kind === 'reset-mfa') {
        await resetMemberMfa(context.orgId, member.userId);
        setAnnouncement(`Two-step verification of ${member.email} has been reset and they have been signed out. They set up a new authenticator app at their next sign-in.`);
      } else {
        await removeMember(context.orgId, member.userId);
        setAnnouncement(`${member.email} has been removed from ${context.orgName} and signed out.`);
        heading.current?.focus();
      }
      setPending(null);
    } catch (error) {
      setProblem(describeApiError(error));
      throw error;
    } finally {
      // Whatever happened, the server now decides what the table shows.
      refresh();
    }
  }

  return (
    <section aria-labelledby={headingId} className={classes.section}>
      <Title order={2} size="h3" id={headingId} ref={heading} tabIndex={-1}>
        Members
      </Title>
      <Text c="dimmed" className={classes.sectionIntro}>
        Changing someone’s role, resetting their two-step verification or removing them signs them out everywhere at once.
      </Text>
      <Announcement text={announcement} />
      <ProblemAlert problem={problem} />

      {members.status === 'loading' ? <TableSkeleton /> : null}
      {members.status === 'failed' ? <LoadFailed title="The members could not be loaded" error={members.error} onRetry={reload} /> : null}
      {members.status === 'ready' ? (
        <TableFrame label="Members table">
          <Table verticalSpacing="sm" horizontalSpacing="md" aria-labelledby={headingId}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Person</Table.Th>
                <Table.Th scope="col">Role</Table.Th>
                <Table.Th scope="col">Joined</Table.Th>
                <Table.Th scope="col">
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.map((member) => (
                <MemberRow
                  key={member.userId}
                  member={member}
                  context={context}
                  members={list}
                  pending={pending?.userId === member.userId ? pending : null}
                  onPending={setPending}
                  onApply={(change) => apply(change, member)}
                  onCancel={cancel}
                />
              ))}
            </Table.Tbody>
          </Table>
        </TableFrame>
      ) : null}
    </section>
  );
}

interface MemberRowProps {
  member: Member;
  context: AdminContext;
  members: readonly Member[];
  pending: Pending | null;
  onPending: (pending: Pending | null) => void;
  onApply: (change: Pending) => Promise<void>;
  onCancel: (focusId: string) => void;
}

function confirmMessage(pending: Pending, member: Member, orgName: string): string {
  switch (pending.kind) {
    case 'role':
      return `Change ${member.email} from ${roleLabel(member.role)} to ${roleLabel(pending.role)}? They will be signed out everywhere and sign in again with the new role.`;
    case 'reset-mfa':
      return `Reset two-step verification of ${member.email}? Their authenticator app, recovery codes and passkeys stop working and they are signed out. Anyone who knows their password can then set up a new authenticator, so first make sure it really is them asking (for example by phone).`;
    case 'remove':
      return `Remove ${member.email} from ${orgName}? They lose access at once and are signed out everywhere. You can invite them again later.`;
  }
}

function MemberRow({ member, context, members, pending, onPending, onApply, onCancel }: MemberRowProps) {
  const noteId = useId();
  const choices = memberChoices(context.role, context.selfUserId, member, members);
  const shownRole = pending?.kind === 'role' ? pending.role : member.role;
  const isSelf = member.userId === context.selfUserId;

  return (
    <Fragment>
      <Table.Tr>
        <Table.Td>
          <Group gap="xs">
            <Text className={classes.cellMain}>{member.email}</Text>
            {isSelf ? (
              <Badge variant="light" color="teal" radius="sm">
                You
              </Badge>
            ) : null}
            {member.status === 'disabled' ? (
              <Badge variant="light" color="gray" radius="sm">
                Account disabled
              </Badge>
            ) : null}
          </Group>
        </Table.Td>
        <Table.Td>
          <NativeSelect
            id={roleSelectId(member.userId)}
            aria-label={`Role of ${member.email}`}
            aria-describedby={choices.lockedBecause ? noteId : undefined}
            data={choices.roles.map((role) => ({ value: role, label: roleLabel(role) }))}
            value={shownRole}
            disabled={!choices.canChangeRole || pending !== null}
            onChange={(event) => {
              const role = choices.roles.find((candidate) => candidate === event.currentTarget.value);
              onPending(role === undefined || role === member.role ? null : { kind: 'role', userId: member.userId, role });
            }}
          />
          {choices.lockedBecause ? (
            <Text id={noteId} className={classes.cellNote}>
              {choices.lockedBecause}
            </Text>
          ) : null}
        </Table.Td>
        <Table.Td>{formatDate(member.joinedAt)}</Table.Td>
        <Table.Td className={classes.actions}>
          {choices.canResetMfa ? (
            <Button
              id={resetButtonId(member.userId)}
              variant="default"
              size="sm"
              disabled={pending !== null}
              aria-label={`Reset two-step verification of ${member.email}`}
              onClick={() => {
                onPending({ kind: 'reset-mfa', userId: member.userId });
              }}
            >
              Reset two-step
            </Button>
          ) : null}
          {choices.canRemove ? (
            <Button
              id={removeButtonId(member.userId)}
              variant="default"
              size="sm"
              disabled={pending !== null}
              aria-label={`Remove ${member.email}`}
              onClick={() => {
                onPending({ kind: 'remove', userId: member.userId });
              }}
            >
              Remove
            </Button>
          ) : null}
        </Table.Td>
      </Table.Tr>
      {pending ? (
        <Table.Tr>
          <Table.Td colSpan={4} className={classes.confirmCell}>
            <InlineConfirm
              message={confirmMessage(pending, member, context.orgName)}
              confirmLabel={pending.kind === 'role' ? 'Yes, change role' : pending.kind === 'reset-mfa' ? 'Yes, reset' : 'Yes, remove'}
              onConfirm={() => onApply(pending)}
              onCancel={() => {
                onCancel(pending.kind === 'role' ? roleSelectId(member.userId) : pending.kind === 'reset-mfa' ? resetButtonId(member.userId) : removeButtonId(member.userId));
              }}
            />
          </Table.Td>
        </Table.Tr>
      ) : null}
    </Fragment>
  );
}
