import { Button, NativeSelect, Table, Text, TextInput, Title } from '@mantine/core';
import { IconFilter } from '@tabler/icons-react';
import { useCallback, useId, useState, type SubmitEvent } from 'react';
import { describeApiError } from '../api/api-error-details';
import { PageHeader } from '../layout/page-header';
import { formatWhen } from './admin-format';
import { actionFilterGroups, actionLabel, actorLabel, dayRangeToInstants, targetLabel, type NameLookup } from './audit-describe';
import { fetchApiTokens, fetchAuditPage, fetchMembers, type AuditEvent, type AuditFilters, type AuditPage } from './organisation-admin-api';
import { RequirePermission, type AdminContext } from './settings-access';
import { Announcement, BackToSettings, LoadFailed, ProblemAlert, TableFrame, TableSkeleton } from './settings-parts';
import { useResource } from './use-resource';
import classes from './settings.module.css';

const TITLE = 'Audit log';
const ACTION_GROUPS = actionFilterGroups();

interface FilterDraft {
  action: string;
  actorUserId: string;
  fromDay: string;
  toDay: string;
}

const NO_FILTERS: FilterDraft = { action: '', actorUserId: '', fromDay: '', toDay: '' };

function toFilters(draft: FilterDraft): AuditFilters {
  return { action: draft.action || undefined, actorUserId: draft.actorUserId || undefined, ...dayRangeToInstants(draft.fromDay, draft.toDay) };
}

interface FiltersFormProps {
  people: readonly { userId: string; email: string }[];
  onApply: (draft: FilterDraft) => void;
}

function FiltersForm({ people, onApply }: FiltersFormProps) {
  const [draft, setDraft] = useState<FilterDraft>(NO_FILTERS);
  const [rangeError, setRangeError] = useState<string | null>(null);
  const set = (key: keyof FilterDraft) => (event: { currentTarget: { value: string } }) => {
    const { value } = event.currentTarget;
    setDraft((previous) => ({ ...previous, [key]: value }));
  };

  function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    // yyyy-mm-dd strings compare like the dates they name.
    if (draft.fromDay && draft.toDay && draft.fromDay > draft.toDay) {
      setRangeError('The “to” date is before the “from” date.');
      return;
    }
    setRangeError(null);
    onApply(draft);
  }

  return (
    <form noValidate onSubmit={submit} className={classes.filters} aria-label="Filter the audit log">
      <NativeSelect
        label="What happened"
        data={[{ value: '', label: 'Anything' }, ...ACTION_GROUPS]}
        value={draft.action}
        onChange={set('action')}
      />
      <NativeSelect
        label="Who did it"
        data={[{ value: '', label: 'Anyone' }, ...people.map((person) => ({ value: person.userId, label: person.email }))]}
        value={draft.actorUserId}
        onChange={set('actorUserId')}
      />
      <TextInput label="From" type="date" value={draft.fromDay} onChange={set('fromDay')} />
      <TextInput label="To" type="date" value={draft.toDay} onChange={set('toDay')} error={rangeError} />
      <div className={classes.filterButtons}>
        <Button type="submit" leftSection={<IconFilter size={18} aria-hidden />}>
          Show events
        </Button>
        <Button
          variant="default"
          onClick={() => {
            setDraft(NO_FILTERS);
            setRangeError(null);
            onApply(NO_FILTERS);
          }}
        >
          Clear
        </Button>
      </div>
    </form>
  );
}

function EventsTable({ events, names, labelledBy }: { events: readonly AuditEvent[]; names: NameLookup; labelledBy: string }) {
  return (
    <TableFrame label="Events table">
      <Table verticalSpacing="sm" horizontalSpacing="md" aria-labelledby={labelledBy}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">When</Table.Th>
            <Table.Th scope="col">Who</Table.Th>
            <Table.Th scope="col">What happened</Table.Th>
            <Table.Th scope="col">Affected</Table.Th>
            <Table.Th scope="col">Network address</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {events.map((event) => (
            <Table.Tr key={event.seq}>
              <Table.Td>
                <time dateTime={event.occurredAt}>{formatWhen(event.occurredAt)}</time>
              </Table.Td>
              <Table.Td className={classes.cellMain}>{actorLabel(event, names)}</Table.Td>
              <Table.Td>{actionLabel(event.action)}</Table.Td>
              <Table.Td>{targetLabel(event, names)}</Table.Td>
              <Table.Td>{event.clientAddress ?? '—'}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </TableFrame>
  );
}

function AuditLogScreen({ context }: { context: AdminContext }) {
  const { orgId } = context;
  const headingId = useId();
  const [filters, setFilters] = useState<AuditFilters>({});
  const [more, setMore] = useState<AuditPage | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [announcement, setAnnouncement] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const first = useResource(useCallback((signal: AbortSignal) => fetchAuditPage(orgId, filters, null, signal), [orgId, filters]));
  // Names only make the log easier to read; without them it still shows every event.
  const members = useResource(useCallback((signal: AbortSignal) => fetchMembers(orgId, signal).catch(() => []), [orgId]));
  const tokens = useResource(useCallback((signal: AbortSignal) => fetchApiTokens(orgId, signal).catch(() => []), [orgId]));

  const people = members.resource.status === 'ready' ? members.resource.data : [];
  const names: NameLookup = {
    people: new Map(people.map((member) => [member.userId, member.email])),
    tokens: new Map(tokens.resource.status === 'ready' ? tokens.resource.data.map((token) => [token.id, token.name]) : []),
    selfUserId: context.selfUserId,
  };
  const events = first.resource.status === 'ready' ? [...first.resource.data.events, ...(more?.events ?? [])] : [];
  const nextCursor = more ? more.nextCursor : first.resource.status === 'ready' ? first.resource.data.nextCursor : null;

  async function loadMore() {
    if (nextCursor === null) return;
    setProblem(null);
    setLoadingMore(true);
    try {
      const page = await fetchAuditPage(orgId, filters, nextCursor);
      setMore((previous) => ({ events: [...(previous?.events ?? []), ...page.events], nextCursor: page.nextCursor }));
      setAnnouncement(`Showing ${String(events.length + page.events.length)} events.`);
    } catch (error) {
      setProblem(describeApiError(error));
    } finally {
      setLoadingMore(false);
    }
  }

  return (
    <>
      <BackToSettings />
      <PageHeader
        title={TITLE}
        description={`Every sign-in and every change to people, roles and tokens at ${context.orgName}, newest first. Entries cannot be edited or deleted.`}
      />
      <FiltersForm
        people={people}
        onApply={(draft) => {
          setMore(null);
          setAnnouncement('');
          setFilters(toFilters(draft));
        }}
      />
      <section aria-labelledby={headingId} className={classes.section}>
        <Title order={2} size="h3" id={headingId} mt="xl" mb="sm">
          Events
        </Title>
        <ProblemAlert problem={problem} />
        {first.resource.status === 'loading' ? <TableSkeleton rows={5} /> : null}
        {first.resource.status === 'failed' ? <LoadFailed title="The audit log could not be loaded" error={first.resource.error} onRetry={first.reload} /> : null}
        {first.resource.status === 'ready' && events.length === 0 ? (
          <Text className={classes.empty}>No events match these filters. Try a wider date range or clear the filters.</Text>
        ) : null}
        {events.length > 0 ? <EventsTable events={events} names={names} labelledBy={headingId} /> : null}
        <Announcement text={announcement} />
        {nextCursor !== null ? (
          <Button variant="default" className={classes.loadMore} loading={loadingMore} onClick={() => void loadMore()}>
            Show older events
          </Button>
        ) : events.length > 0 ? (
          <Text size="sm" c="dimmed" mt="md">
            That is everything{filters.action || filters.actorUserId || filters.from || filters.to ? ' that matches these filters' : ''}.
          </Text>
        ) : null}
      </section>
    </>
  );
}

export function AuditLogPage() {
  return (
    <RequirePermission requires="audit.read" title={TITLE}>
      {(context) => <AuditLogScreen context={context} />}
    </RequirePermission>
  );
}
