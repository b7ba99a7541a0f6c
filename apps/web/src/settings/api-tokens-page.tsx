import { Button, Code, NativeSelect, Table, Text, TextInput, Title, VisuallyHidden } from '@mantine/core';
import { IconAlertTriangle, IconKey } from '@tabler/icons-react';
import { Fragment, useCallback, useId, useRef, useState, type SubmitEvent } from 'react';
import { roleLabel } from '../account/role-labels';
import { describeApiError, validationIssues } from '../api/api-error-details';
import { CopyTextButton } from '../auth/copy-text-button';
import { PageHeader } from '../layout/page-header';
import { TOKEN_LIFETIMES, TOKEN_ROLES } from './admin-permissions';
import { formatDate, formatWhen } from './admin-format';
import { createApiToken, fetchApiTokens, fetchMembers, revokeApiToken, type ApiToken, type CreatedApiToken } from './organisation-admin-api';
import { RequirePermission, type AdminContext } from './settings-access';
import { Announcement, BackToSettings, ConfirmRow, HandOverPanel, LoadFailed, ProblemAlert, TableFrame, TableSkeleton } from './settings-parts';
import { useResource } from './use-resource';
import classes from './settings.module.css';

const TITLE = 'API tokens';
const revokeButtonId = (id: string) => `revoke-token-${id}`;

function CreateTokenForm({ context, onCreated }: { context: AdminContext; onCreated: (token: CreatedApiToken) => void }) {
  const headingId = useId();
  const [name, setName] = useState('');
  const [role, setRole] = useState<string>('viewer');
  const [days, setDays] = useState('90');
  const [nameError, setNameError] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    setProblem(null);
    if (name.trim() === '') {
      setNameError('Enter a name that says what the token is for.');
      document.getElementById(`${headingId}-name`)?.focus();
      return;
    }
    setNameError(null);
    setPending(true);
    try {
      onCreated(await createApiToken(context.orgId, { name: name.trim(), role, expiresInDays: Number(days) }));
      setName('');
    } catch (error) {
      const issue = validationIssues(error).find((candidate) => candidate.field === 'name');
      if (issue) setNameError(`The name ${issue.message}.`);
      else setProblem(describeApiError(error));
    } finally {
      setPending(false);
    }
  }

  return (
    <section aria-labelledby={headingId} className={classes.section}>
      <Title order={2} size="h3" id={headingId}>
        Create a token
      </Title>
      <Text c="dimmed" className={classes.sectionIntro}>
        Give each system its own token, with the lowest role that does the job, so you can revoke one without affecting the others.
      </Text>
      <ProblemAlert problem={problem} />
      <form noValidate onSubmit={(event) => void submit(event)} className={[classes.form, classes.formWide].join(' ')} aria-labelledby={headingId}>
        <TextInput
          id={`${headingId}-name`}
          label="Name"
          placeholder="e.g. CRM nightly sync"
          maxLength={100}
          autoComplete="off"
          value={name}
          error={nameError}
          onChange={(event) => {
            setName(event.currentTarget.value);
          }}
        />
        <NativeSelect
          label="Role"
          data={TOKEN_ROLES.map((candidate) => ({ value: candidate, label: roleLabel(candidate) }))}
          value={role}
          onChange={(event) => {
            setRole(event.currentTarget.value);
          }}
        />
        <NativeSelect
          label="Expires after"
          data={TOKEN_LIFETIMES.map((lifetime) => ({ value: String(lifetime.days), label: lifetime.label }))}
          value={days}
          onChange={(event) => {
            setDays(event.currentTarget.value);
          }}
        />
        <Button type="submit" loading={pending} className={classes.formSubmit} leftSection={<IconKey size={18} aria-hidden />}>
          Create token
        </Button>
      </form>
    </section>
  );
}

/** The secret, once: the server stores only its hash, so leaving this screen loses it for good. */
function NewTokenSecret({ token, onDone }: { token: CreatedApiToken; onDone: () => void }) {
  return (
    <HandOverPanel title={`Copy the token “${token.name}” now`} icon={IconAlertTriangle}>
      <Text size="sm">
        This is the only time Kindling shows it. Store it somewhere safe, such as your password manager or the other system’s
        settings. Anyone who has it can use Kindling as {roleLabel(token.role)} until {token.expiresAt ? formatWhen(token.expiresAt) : 'it is revoked'}.
      </Text>
      <Code className={classes.secret}>{token.token}</Code>
      <CopyTextButton text={token.token} label="Copy token" copiedLabel="Token copied." />
      <Button variant="default" size="sm" mt="sm" onClick={onDone}>
        I have stored it safely
      </Button>
    </HandOverPanel>
  );
}

interface TokensTableProps {
  context: AdminContext;
  tokens: ApiToken[];
  people: ReadonlyMap<string, string>;
  onRevoke: (token: ApiToken) => Promise<void>;
}

function TokensTable({ context, tokens, people, onRevoke }: TokensTableProps) {
  const [confirming, setConfirming] = useState<string | null>(null);
  const creator = (userId: string | null) =>
    userId === null ? '—' : userId === context.selfUserId ? 'You' : (people.get(userId) ?? 'A former member');

  return (
    <TableFrame label="API tokens in use table">
      <Table verticalSpacing="sm" horizontalSpacing="md" aria-label="API tokens in use">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Name</Table.Th>
            <Table.Th scope="col">Role</Table.Th>
            <Table.Th scope="col">Created by</Table.Th>
            <Table.Th scope="col">Created</Table.Th>
            <Table.Th scope="col">Expires</Table.Th>
            <Table.Th scope="col">Last used</Table.Th>
            <Table.Th scope="col">
              <VisuallyHidden>Actions</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {tokens.map((token) => (
            <Fragment key={token.id}>
              <Table.Tr>
                <Table.Td className={classes.cellMain}>{token.name}</Table.Td>
                <Table.Td>{roleLabel(token.role)}</Table.Td>
                <Table.Td>{creator(token.createdBy)}</Table.Td>
                <Table.Td>{formatDate(token.createdAt)}</Table.Td>
                <Table.Td>{token.expiresAt ? formatDate(token.expiresAt) : 'Never'}</Table.Td>
                <Table.Td>{token.lastUsedAt ? formatWhen(token.lastUsedAt) : 'Never'}</Table.Td>
                <Table.Td className={classes.actions}>
                  {confirming === token.id ? null : (
                    <Button
                      id={revokeButtonId(token.id)}
                      variant="default"
                      size="sm"
                      aria-label={`Revoke ${token.name}`}
                      onClick={() => {
                        setConfirming(token.id);
                      }}
                    >
                      Revoke
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
              {confirming === token.id ? (
                <ConfirmRow
                  columns={7}
                  message={`Revoke “${token.name}”? It stops working at once, and anything that uses it loses access to Kindling.`}
                  confirmLabel="Yes, revoke token"
                  onConfirm={() => onRevoke(token)}
                  onCancel={() => {
                    setConfirming(null);
                  }}
                  askedBy={revokeButtonId(token.id)}
                />
              ) : null}
            </Fragment>
          ))}
        </Table.Tbody>
      </Table>
    </TableFrame>
  );
}

function ApiTokensScreen({ context }: { context: AdminContext }) {
  const { orgId } = context;
  const headingId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const tokens = useResource(useCallback((signal: AbortSignal) => fetchApiTokens(orgId, signal), [orgId]));
  // Only to name who created each token; without it the table still works.
  const members = useResource(useCallback((signal: AbortSignal) => fetchMembers(orgId, signal).catch(() => []), [orgId]));
  const [created, setCreated] = useState<CreatedApiToken | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const people = new Map(members.resource.status === 'ready' ? members.resource.data.map((member) => [member.userId, member.email]) : []);

  async function revoke(token: ApiToken) {
    setProblem(null);
    try {
      await revokeApiToken(orgId, token.id);
      setAnnouncement(`“${token.name}” has been revoked. It no longer works.`);
      heading.current?.focus();
    } catch (error) {
      setProblem(describeApiError(error));
      throw error;
    } finally {
      tokens.refresh();
    }
  }

  return (
    <>
      <BackToSettings />
      <PageHeader
        title={TITLE}
        description="Tokens let other systems, such as your CRM or reporting tools, use Kindling’s API without a person signing in. Each acts with the role you give it."
      />
      {created ? (
        <NewTokenSecret
          token={created}
          onDone={() => {
            setCreated(null);
            heading.current?.focus();
          }}
        />
      ) : null}
      <CreateTokenForm
        context={context}
        onCreated={(token) => {
          setCreated(token);
          setAnnouncement('');
          tokens.refresh();
        }}
      />
      <section aria-labelledby={headingId} className={classes.section}>
        <Title order={2} size="h3" id={headingId} ref={heading} tabIndex={-1}>
          Tokens in use
        </Title>
        <Text c="dimmed" className={classes.sectionIntro}>
          Revoked and expired tokens are not listed. If a token may have leaked, revoke it and create a new one.
        </Text>
        <Announcement text={announcement} />
        <ProblemAlert problem={problem} />
        {tokens.resource.status === 'loading' ? <TableSkeleton rows={2} /> : null}
        {tokens.resource.status === 'failed' ? (
          <LoadFailed title="The API tokens could not be loaded" error={tokens.resource.error} onRetry={tokens.reload} />
        ) : null}
        {tokens.resource.status === 'ready' && tokens.resource.data.length === 0 ? (
          <Text className={classes.empty}>No tokens yet. Nothing can use Kindling’s API without a person signing in.</Text>
        ) : null}
        {tokens.resource.status === 'ready' && tokens.resource.data.length > 0 ? (
          <TokensTable context={context} tokens={tokens.resource.data} people={people} onRevoke={revoke} />
        ) : null}
      </section>
    </>
  );
}

export function ApiTokensPage() {
  return (
    <RequirePermission requires="tokens.manage" title={TITLE}>
      {(context) => <ApiTokensScreen context={context} />}
    </RequirePermission>
  );
}
