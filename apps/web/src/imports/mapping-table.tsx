import { Alert, NativeSelect, Table, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { TableFrame } from '../settings/settings-parts';
import { attributeName, choiceGroups, choiceValue, mappingProblems, parseChoiceValue, withChoice, withEntity, type FileReview } from './mapping-state';
import { ENTITY_LABELS } from './reference-fields';
import shared from '../settings/settings.module.css';
import classes from './imports.module.css';

const ENTITY_CHOICES = [{ value: '', label: 'Choose…' }, ...ENTITY_LABELS.map((entity) => ({ value: entity.name, label: entity.label }))];

/** For a file no preset knows: what it holds, and what each of its columns becomes. */
export function MappingTable({ file, onChange }: { file: FileReview; onChange: (file: FileReview) => void }) {
  const problems = mappingProblems(file);
  const entity = file.entity;
  return (
    <>
      <NativeSelect
        label="What this file holds"
        description="Kindling suggested this from the column names. Change it if it is wrong."
        data={ENTITY_CHOICES}
        value={entity ?? ''}
        className={classes.entitySelect}
        onChange={(event) => {
          const next = event.currentTarget.value;
          if (next !== '') onChange(withEntity(file, next));
        }}
      />
      {problems.length > 0 ? (
        <Alert variant="light" color="orange" icon={<IconAlertTriangle aria-hidden />} title="Before this file can be imported" mt="md">
          <ul className={classes.plainList}>
            {problems.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        </Alert>
      ) : null}
      {entity === null ? null : (
        <TableFrame label={`Columns of ${file.fileName}`}>
          <Table verticalSpacing="xs" horizontalSpacing="md" aria-label={`Columns of ${file.fileName}`} className={classes.mappingTable}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Column in your file</Table.Th>
                <Table.Th scope="col">Becomes in Kindling</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {file.headers.map((header, index) => {
                const choice = file.choices[index] ?? { kind: 'skip' };
                return (
                  <Table.Tr key={`${String(index)}-${header}`} data-skipped={choice.kind === 'skip' || undefined}>
                    <Table.Td className={shared.cellMain}>{header === '' ? <Text c="dimmed">(no header)</Text> : header}</Table.Td>
                    <Table.Td>
                      <NativeSelect
                        aria-label={`What “${header}” becomes`}
                        data={choiceGroups(entity)}
                        value={choiceValue(choice)}
                        onChange={(event) => {
                          onChange(withChoice(file, index, parseChoiceValue(event.currentTarget.value)));
                        }}
                      />
                      {choice.kind === 'attribute' ? (
                        <Text size="xs" c="dimmed" mt={4}>
                          Kept on each contact as “{attributeName(header)}”.
                        </Text>
                      ) : null}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </TableFrame>
      )}
    </>
  );
}
