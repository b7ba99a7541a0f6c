import { Alert, Badge, Button, Checkbox, Group, NativeSelect, Paper, Progress, SegmentedControl, Table, Text, TextInput, Title } from '@mantine/core';
import { IconAlertTriangle, IconChecks, IconCircleCheck, IconSearch } from '@tabler/icons-react';
import { useCallback, useId, useMemo, useState, type SubmitEvent } from 'react';
import { describeApiError } from '../api/api-error-details';
import { PageHeader } from '../layout/page-header';
import { allows } from '../settings/admin-permissions';
import { useAdminContext, type AdminContext } from '../settings/settings-access';
import { Announcement, LoadFailed, ProblemAlert, TableFrame, TableSkeleton } from '../settings/settings-parts';
import { useResource } from '../settings/use-resource';
import { CATEGORIES, CHANNELS, fetchCampaignTags, saveTagDecisions, type CampaignRow, type CampaignTagList, type Category, type Channel, type Coverage, type Decision, type Tag, type TagFilter } from './campaign-tags-api';
import { acceptSuggestions, confidenceLabel, coverageAdvice, formatAmount, formatCount, formatShare, rowsOf, savedMessage, skipAll, SOURCE_LABELS, tagOfDecision, withPending } from './tagging-state';
import classes from './campaigns.module.css';

const TITLE = 'Campaigns';
const PAGE_SIZE = 50;
/** The API's largest page: beyond it, search or filter. */
const MAX_SHOWN = 500;
const FILTERS: { value: TagFilter; label: string }[] = [
  { value: 'untagged', label: 'Needs tags' },
  { value: 'suggested', label: 'Ready to accept' },
  { value: 'all', label: 'All campaigns' },
];

function CoveragePanel({ coverage }: { coverage: Coverage }) {
  const headingId = useId();
  const figures = [
    { label: 'Gifts tagged', share: coverage.gifts, detail: `${formatCount(coverage.gifts.tagged)} of ${formatCount(coverage.gifts.total)} gifts` },
    { label: 'Revenue tagged', share: coverage.revenue, detail: `${formatAmount(coverage.revenue.tagged)} of ${formatAmount(coverage.revenue.total)}` },
  ];
  return (
    <Paper component="section" aria-labelledby={headingId} withBorder radius="lg" className={classes.coverage}>
      <Title order={2} size="h3" id={headingId}>
        How much of your giving is tagged
      </Title>
      <div className={classes.figures}>
        {figures.map((figure) => (
          <div key={figure.label}>
            <Text fw={600}>{figure.label}</Text>
            <Text className={classes.figure} data-testid={figure.label}>
              {formatShare(figure.share.share)}
            </Text>
            <Progress value={figure.share.share * 100} aria-label={`${figure.label}: ${formatShare(figure.share.share)}`} color={figure.share.share < 0.8 ? 'yellow' : 'teal'} />
            <Text size="sm" c="dimmed" mt={4}>
              {figure.detail}
            </Text>
          </div>
        ))}
      </div>
      <Alert
        variant="light"
        color={coverage.askForMore ? 'ember' : 'teal'}
        icon={coverage.askForMore ? <IconAlertTriangle aria-hidden /> : <IconCircleCheck aria-hidden />}
        title={coverage.askForMore ? 'Tag more campaigns' : 'Well tagged'}
        className={classes.advice}
      >
        {coverageAdvice(coverage)}
      </Alert>
    </Paper>
  );
}

function TagText({ tag }: { tag: Tag }) {
  return (
    <>
      <Text size="sm">{tag.category && tag.channel ? `${tag.category} · ${tag.channel}` : (tag.category ?? tag.channel ?? '—')}</Text>
      <Badge variant="light" color={tag.source === 'none' || tag.source === 'skipped' ? 'gray' : 'teal'} radius="sm" size="sm">
        {SOURCE_LABELS[tag.source]}
      </Badge>
    </>
  );
}

interface RowEditorProps {
  row: CampaignRow;
  saving: boolean;
  onSave: (category: Category, channel: Channel) => void;
  onCancel: () => void;
}

function RowEditor({ row, saving, onSave, onCancel }: RowEditorProps) {
  const [category, setCategory] = useState<Category>(row.tag.category ?? row.suggestion.category);
  const [channel, setChannel] = useState<Channel>(row.tag.channel ?? row.suggestion.channel);
  return (
    <div className={classes.editor}>
      <NativeSelect
        size="xs"
        label={`Category of ${row.name}`}
        data={[...CATEGORIES]}
        value={category}
        onChange={(event) => {
          setCategory(event.currentTarget.value as Category);
        }}
      />
      <NativeSelect
        size="xs"
        label={`Channel of ${row.name}`}
        data={[...CHANNELS]}
        value={channel}
        onChange={(event) => {
          setChannel(event.currentTarget.value as Channel);
        }}
      />
      <Group gap="xs">
        <Button
          size="xs"
          loading={saving}
          onClick={() => {
            onSave(category, channel);
          }}
        >
          Save
        </Button>
        <Button size="xs" variant="default" onClick={onCancel}>
          Cancel
        </Button>
      </Group>
    </div>
  );
}

interface CampaignTableProps {
  rows: CampaignRow[];
  packageIds: ReadonlySet<string>;
  /** Packages per campaign id, and the campaigns whose packages are shown. */
  packageCounts: ReadonlyMap<string, number>;
  expanded: ReadonlySet<string>;
  onToggle: (id: string) => void;
  canTag: boolean;
  chosen: ReadonlySet<string>;
  editing: string | null;
  saving: boolean;
  onChoose: (ids: readonly string[], chosen: boolean) => void;
  onEdit: (id: string | null) => void;
  onSave: (decisions: Decision[]) => void;
}

function CampaignTable({ rows, packageIds, packageCounts, expanded, onToggle, canTag, chosen, editing, saving, onChoose, onEdit, onSave }: CampaignTableProps) {
  const allChosen = rows.length > 0 && rows.every((row) => chosen.has(row.id));
  return (
    <TableFrame label="Campaigns table">
      <Table verticalSpacing="sm" highlightOnHover aria-label="Campaigns and their tags">
        <Table.Thead>
          <Table.Tr>
            {canTag ? (
              <Table.Th className={classes.pick}>
                <Checkbox
                  aria-label="Select every campaign shown"
                  checked={allChosen}
                  indeterminate={!allChosen && rows.some((row) => chosen.has(row.id))}
                  onChange={() => {
                    onChoose(
                      rows.map((row) => row.id),
                      !allChosen,
                    );
                  }}
                />
              </Table.Th>
            ) : null}
            <Table.Th>Campaign</Table.Th>
            <Table.Th className={classes.number}>Gifts</Table.Th>
            <Table.Th className={classes.number}>Revenue</Table.Th>
            <Table.Th>Tag</Table.Th>
            <Table.Th>Suggestion</Table.Th>
            {canTag ? <Table.Th>Change</Table.Th> : null}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => {
            const isPackage = packageIds.has(row.id);
            return (
              <Table.Tr key={row.id} className={isPackage ? classes.packageRow : undefined} data-testid="campaign-row">
                {canTag ? (
                  <Table.Td className={classes.pick}>
                    <Checkbox
                      aria-label={`Select ${row.name}`}
                      checked={chosen.has(row.id)}
                      onChange={(event) => {
                        onChoose([row.id], event.currentTarget.checked);
                      }}
                    />
                  </Table.Td>
                ) : null}
                <Table.Th scope="row" className={classes.name}>
                  {isPackage ? (
                    <Text span size="xs" c="dimmed" className={classes.kind}>
                      Package
                    </Text>
                  ) : null}
                  <Text span fw={isPackage ? 400 : 600} data-testid="campaign-name">
                    {row.name}
                  </Text>
                  {row.code ? (
                    <Text size="xs" c="dimmed">
                      Code {row.code}
                    </Text>
                  ) : null}
                  {(packageCounts.get(row.id) ?? 0) > 0 ? (
                    <Button
                      variant="subtle"
                      size="compact-xs"
                      aria-expanded={expanded.has(row.id)}
                      onClick={() => {
                        onToggle(row.id);
                      }}
                    >
                      {`${expanded.has(row.id) ? 'Hide' : 'Show'} ${formatCount(packageCounts.get(row.id) ?? 0)} ${packageCounts.get(row.id) === 1 ? 'package' : 'packages'}`}
                    </Button>
                  ) : null}
                </Table.Th>
                <Table.Td className={classes.number}>{formatCount(row.gifts)}</Table.Td>
                <Table.Td className={classes.number}>{formatAmount(row.revenue)}</Table.Td>
                <Table.Td>
                  {editing === row.id ? (
                    <RowEditor
                      row={row}
                      saving={saving}
                      onSave={(category, channel) => {
                        onSave([{ campaignId: row.id, category, channel }]);
                      }}
                      onCancel={() => {
                        onEdit(null);
                      }}
                    />
                  ) : (
                    <TagText tag={row.tag} />
                  )}
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{`${row.suggestion.category} · ${row.suggestion.channel}`}</Text>
                  <Text size="xs" c="dimmed" fw={row.suggestion.confident ? 700 : 400}>
                    {confidenceLabel(row)}
                  </Text>
                </Table.Td>
                {canTag ? (
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      <Button
                        size="xs"
                        variant="default"
                        aria-label={`Edit tags of ${row.name}`}
                        disabled={saving}
                        onClick={() => {
                          onEdit(row.id);
                        }}
                      >
                        Edit
                      </Button>
                      <Button
                        size="xs"
                        variant="subtle"
                        color="gray"
                        aria-label={`Skip ${row.name}`}
                        disabled={saving || row.tag.source === 'skipped'}
                        onClick={() => {
                          onSave([{ campaignId: row.id, skip: true }]);
                        }}
                      >
                        Skip
                      </Button>
                    </Group>
                  </Table.Td>
                ) : null}
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </TableFrame>
  );
}

function emptyMessage(filter: TagFilter, search: string): string {
  if (search !== '') return `No campaign or package matches “${search}”.`;
  if (filter === 'untagged') return 'Nothing needs a tag: every campaign has a category and a channel, or was skipped.';
  if (filter === 'suggested') return 'No untagged campaign has a confident suggestion. Look at “Needs tags” to tag the rest by hand.';
  return 'There are no campaigns yet. Import your CRM’s campaigns and gifts to start.';
}

function CampaignTagging({ context }: { context: AdminContext }) {
  const { orgId } = context;
  const canTag = allows(context.role, 'campaigns.tag');
  const [filter, setFilter] = useState<TagFilter>('untagged');
  const [searchText, setSearchText] = useState('');
  const [search, setSearch] = useState('');
  const [limit, setLimit] = useState(PAGE_SIZE);
  const { resource, reload, refresh } = useResource(useCallback((signal: AbortSignal) => fetchCampaignTags(orgId, { filter, search, limit }, signal), [orgId, filter, search, limit]));
  // Decisions shown ahead of the server, on top of the list they were made on: a fresh read replaces them.
  const [pending, setPending] = useState<{ base: CampaignTagList | null; tags: ReadonlyMap<string, Tag> }>({ base: null, tags: new Map() });
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  // Packages stay folded under their campaign until asked for: tagging a campaign tags the packages that have no tag of their own.
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const [editing, setEditing] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');

  const loaded = resource.status === 'ready' ? resource.data : null;
  const list = useMemo(() => (loaded && pending.base === loaded ? withPending(loaded, pending.tags) : loaded), [loaded, pending]);
  const rows = useMemo(() => (list ? rowsOf(list, expanded) : []), [list, expanded]);
  const packageIds = useMemo(() => new Set(list?.campaigns.flatMap((group) => group.packages.map((pkg) => pkg.id)) ?? []), [list]);
  const packageCounts = useMemo(() => new Map(list?.campaigns.map((group) => [group.id, group.packages.length]) ?? []), [list]);
  const chosenShown = rows.filter((row) => chosen.has(row.id));

  async function save(decisions: Decision[]) {
    if (decisions.length === 0) return;
    setProblem(null);
    setAnnouncement('');
    const before = pending;
    const shown = pending.base === loaded ? pending.tags : new Map<string, Tag>();
    setPending({ base: loaded, tags: new Map([...shown, ...decisions.map((decision) => [decision.campaignId, tagOfDecision(decision)] as const)]) });
    setSaving(true);
    try {
      const counts = await saveTagDecisions(orgId, decisions);
      setAnnouncement(savedMessage(counts));
      setChosen(new Set());
      setEditing(null);
      refresh();
    } catch (error) {
      setPending(before);
      setProblem(describeApiError(error));
    } finally {
      setSaving(false);
    }
  }

  function choose(ids: readonly string[], selected: boolean) {
    const next = new Set(chosen);
    for (const id of ids) {
      if (selected) next.add(id);
      else next.delete(id);
    }
    setChosen(next);
  }

  function toggle(id: string) {
    const next = new Set(expanded);
    if (!next.delete(id)) next.add(id);
    setExpanded(next);
  }

  function submitSearch(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    setSearch(searchText.trim());
    setLimit(PAGE_SIZE);
  }

  return (
    <>
      <PageHeader
        title={TITLE}
        description="Tag each campaign with what it asks for and how it reaches people. The models use these tags to tell, say, a Christmas appeal by post from a regular-giving call. Kindling suggests tags; you accept, change or skip them."
      />
      {resource.status === 'failed' ? <LoadFailed title="The campaigns could not be loaded" error={resource.error} onRetry={reload} /> : null}
      {list ? <CoveragePanel coverage={list.coverage} /> : null}
      <section aria-label="Campaign tags" className={classes.work}>
        <div className={classes.toolbar}>
          <SegmentedControl
            aria-label="Show"
            data={FILTERS}
            value={filter}
            onChange={(value) => {
              setFilter(value);
              setChosen(new Set());
              setLimit(PAGE_SIZE);
            }}
          />
          <form role="search" onSubmit={submitSearch} className={classes.search}>
            <TextInput
              label="Find a campaign"
              placeholder="Name or code"
              value={searchText}
              maxLength={100}
              onChange={(event) => {
                setSearchText(event.currentTarget.value);
              }}
            />
            <Button type="submit" variant="default" leftSection={<IconSearch size={16} aria-hidden />}>
              Search
            </Button>
          </form>
        </div>
        {canTag ? (
          <Group gap="sm" className={classes.bulk}>
            <Text size="sm" aria-live="polite">
              {chosenShown.length === 0 ? 'Select campaigns to accept their suggestions or skip them.' : `${formatCount(chosenShown.length)} selected`}
            </Text>
            <Button
              leftSection={<IconChecks size={18} aria-hidden />}
              disabled={chosenShown.length === 0 || saving}
              onClick={() => {
                void save(acceptSuggestions(rows, chosen));
              }}
            >
              Accept suggestions
            </Button>
            <Button
              variant="default"
              disabled={chosenShown.length === 0 || saving}
              onClick={() => {
                void save(skipAll(rows, chosen));
              }}
            >
              Skip selected
            </Button>
          </Group>
        ) : (
          <Text size="sm" c="dimmed" className={classes.bulk}>
            Your role can see campaign tags but not change them. Ask an analyst, administrator or owner to tag campaigns.
          </Text>
        )}
        <ProblemAlert problem={problem} />
        <Announcement text={announcement} />
        {resource.status === 'loading' ? <TableSkeleton rows={6} /> : null}
        {list && rows.length === 0 ? <Text className={classes.empty}>{emptyMessage(filter, search)}</Text> : null}
        {list && rows.length > 0 ? (
          <CampaignTable rows={rows} packageIds={packageIds} packageCounts={packageCounts} expanded={expanded} onToggle={toggle} canTag={canTag} chosen={chosen} editing={editing} saving={saving} onChoose={choose} onEdit={setEditing} onSave={(decisions) => void save(decisions)} />
        ) : null}
        {list && list.total > list.campaigns.length ? (
          <Group gap="sm" className={classes.more}>
            <Text size="sm" c="dimmed">
              Showing {formatCount(list.campaigns.length)} of {formatCount(list.total)} campaigns, biggest revenue first.{limit >= MAX_SHOWN ? ' Search or filter to find the others.' : ''}
            </Text>
            {limit < MAX_SHOWN ? (
              <Button
                variant="default"
                onClick={() => {
                  setLimit((previous) => Math.min(previous + PAGE_SIZE, MAX_SHOWN));
                }}
              >
                Show more
              </Button>
            ) : null}
          </Group>
        ) : null}
      </section>
    </>
  );
}

export function CampaignsPage() {
  const context = useAdminContext();
  if (context === null) {
    return (
      <>
        <PageHeader title={TITLE} />
        <Text>You are not a member of an organisation, so there are no campaigns to show.</Text>
      </>
    );
  }
  return <CampaignTagging context={context} />;
}
