import { Button, Table, Text, Title } from '@mantine/core';
import { useCallback, useId, useState } from 'react';
import { describeApiError } from '../api/api-error-details';
import { formatDate } from '../settings/admin-format';
import { Announcement, LoadFailed, ProblemAlert, TableSkeleton } from '../settings/settings-parts';
import { useResource } from '../settings/use-resource';
import shared from '../settings/settings.module.css';
import { fetchStoredMappings, forgetStoredMapping, type StoredMapping } from './imports-api';
import { entityLabel } from './reference-fields';
import { FiguresTable } from './run-result';
import classes from './imports.module.css';

/**
 * The column choices kept from earlier imports: a file with the same headers starts from them.
 * Forgetting one changes no data; the next such file starts from Kindling's suggestion again.
 */
export function SavedMappings({ orgId }: { orgId: string }) {
  const headingId = useId();
  const mappings = useResource(useCallback((signal: AbortSignal) => fetchStoredMappings(orgId, signal), [orgId]));
  const [announcement, setAnnouncement] = useState('');
  const [problem, setProblem] = useState<string | null>(null);

  async function forget(mapping: StoredMapping) {
    setProblem(null);
    try {
      await forgetStoredMapping(orgId, mapping.id);
      setAnnouncement(`The column choices “${mapping.name}” are forgotten.`);
    } catch (error) {
      setProblem(describeApiError(error));
    } finally {
      mappings.refresh();
    }
  }

  const { resource } = mappings;
  if (resource.status === 'ready' && resource.data.length === 0 && announcement === '') return null;
  return (
    <section aria-labelledby={headingId} className={classes.history}>
      <Title order={2} size="h3" id={headingId}>
        Saved column choices
      </Title>
      <Text c="dimmed" className={shared.sectionIntro}>
        Kept from earlier imports of files no CRM preset knows. A file with the same columns starts from these choices.
      </Text>
      <Announcement text={announcement} />
      <ProblemAlert problem={problem} />
      {resource.status === 'loading' ? <TableSkeleton rows={1} /> : null}
      {resource.status === 'failed' ? <LoadFailed title="The saved column choices could not be loaded" error={resource.error} onRetry={mappings.reload} /> : null}
      {resource.status === 'ready' && resource.data.length > 0 ? (
        <FiguresTable label="Saved column choices" headers={['Name', 'Holds', 'Columns', 'Last saved', 'Actions']} textColumns={5}>
          {resource.data.map((mapping) => (
            <Table.Tr key={mapping.id}>
              <Table.Td className={shared.cellMain}>{mapping.name}</Table.Td>
              <Table.Td>{entityLabel(mapping.entity)}</Table.Td>
              <Table.Td className={classes.cellWrap}>{mapping.headers.join(', ')}</Table.Td>
              <Table.Td className={classes.noWrap}>{mapping.updatedAt ? formatDate(mapping.updatedAt) : '—'}</Table.Td>
              <Table.Td>
                <Button variant="default" size="xs" aria-label={`Forget ${mapping.name}`} onClick={() => void forget(mapping)}>
                  Forget
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </FiguresTable>
      ) : null}
    </section>
  );
}
