import { Alert, Badge, Button, Checkbox, Group, NativeSelect, Paper, Radio, Stack, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconArrowLeft, IconFileCheck, IconPlayerPlay } from '@tabler/icons-react';
import { useId, useRef, useState } from 'react';
import type { ImportMode, PresetId } from './imports-api';
import { MappingTable } from './mapping-table';
import { PRESET_CHOICES, listOf, needsMapping, presetLabel, reviewProblems, type FileReview, type ReviewState } from './mapping-state';
import { entityLabel, fieldLabel } from './reference-fields';
import classes from './imports.module.css';

function FileCard({ file, preset, onChange }: { file: FileReview; preset: PresetId; onChange: (file: FileReview) => void }) {
  const headingId = useId();
  const mapped = needsMapping(file, preset);
  return (
    <Paper component="section" aria-labelledby={headingId} withBorder radius="lg" className={classes.fileCard}>
      <Group justify="space-between" align="flex-start" gap="sm" mb="sm">
        <Title order={3} size="h4" id={headingId} className={classes.fileName}>
          {file.fileName}
        </Title>
        {file.entity !== null && file.problem === null ? (
          <Badge variant="light" size="lg" radius="sm">
            {entityLabel(file.entity)}
          </Badge>
        ) : null}
      </Group>
      {file.problem !== null ? (
        <Alert variant="light" color="red" icon={<IconAlertTriangle aria-hidden />} title="This file cannot be read">
          {file.problem} Remove it, or fix it and upload it again.
        </Alert>
      ) : mapped ? (
        <>
          <Text size="sm" c="dimmed" mb="sm">
            {preset === 'custom' ? 'Match each column to what it holds.' : `${presetLabel(preset)} does not know this file, so match each column to what it holds.`} Columns set to
            “Don’t import” are left out.
          </Text>
          <MappingTable file={file} onChange={onChange} />
        </>
      ) : (
        <>
          <Text size="sm">
            <IconFileCheck size={16} aria-hidden className={classes.inlineIcon} /> {presetLabel(preset)} knows this file: its {file.headers.length} columns are read as
            that CRM exports them.
          </Text>
          {file.presetMissing.length > 0 ? (
            <Alert variant="light" color="orange" icon={<IconAlertTriangle aria-hidden />} mt="sm" title="Columns missing">
              The file has no column for {listOf(file.presetMissing.map((field) => `“${fieldLabel(file.entity ?? '', field)}”`))}, which this import needs. Export the
              file again with {file.presetMissing.length === 1 ? 'that column' : 'those columns'}, or choose “Another layout” above and match the columns yourself.
            </Alert>
          ) : null}
        </>
      )}
    </Paper>
  );
}

const MODES: readonly { value: ImportMode; label: string; description: string }[] = [
  {
    value: 'delta',
    label: 'Changes since the last import',
    description: 'Adds new records and updates changed ones. Nothing already in Kindling is deleted.',
  },
  {
    value: 'complete',
    label: 'A complete export from your CRM',
    description:
      'Replaces what Kindling holds for the kinds of records in these files. Records the files no longer contain are deleted from Kindling, for example contacts or gifts removed from your CRM. Other kinds of records are left alone.',
  },
];

interface ReviewStepProps {
  review: ReviewState;
  onChange: (review: ReviewState) => void;
  onBack: () => void;
  onStart: () => Promise<void>;
}

export function ReviewStep({ review, onChange, onBack, onStart }: ReviewStepProps) {
  const summaryRef = useRef<HTMLDivElement>(null);
  const [showProblems, setShowProblems] = useState(false);
  const [pending, setPending] = useState(false);
  const problems = reviewProblems(review);
  const anyMapped = review.files.some((file) => file.problem === null && needsMapping(file, review.preset));

  async function start() {
    if (problems.length > 0) {
      setShowProblems(true);
      requestAnimationFrame(() => summaryRef.current?.focus());
      return;
    }
    setPending(true);
    try {
      await onStart();
    } finally {
      setPending(false);
    }
  }

  return (
    <Stack gap="lg">
      <NativeSelect
        label="Where the files come from"
        description="Kindling chose this from the file names. Choose “Another layout” to match the columns yourself."
        data={PRESET_CHOICES}
        value={review.preset}
        className={classes.presetSelect}
        onChange={(event) => {
          onChange({ ...review, preset: event.currentTarget.value as PresetId });
        }}
      />

      {review.files.map((file, index) => (
        <FileCard
          key={`${file.uploadId}-${file.fileName}`}
          file={file}
          preset={review.preset}
          onChange={(next) => {
            onChange({ ...review, files: review.files.map((current, at) => (at === index ? next : current)) });
          }}
        />
      ))}

      <Radio.Group
        label="What these files are"
        value={review.mode}
        onChange={(value) => {
          onChange({ ...review, mode: value === 'complete' ? 'complete' : 'delta' });
        }}
      >
        <Stack gap="sm" mt="xs">
          {MODES.map((mode) => (
            <Radio.Card key={mode.value} value={mode.value} radius="md" className={classes.modeCard}>
              <Group wrap="nowrap" align="flex-start" gap="sm">
                <Radio.Indicator mt={2} />
                <div>
                  <Text fw={600}>{mode.label}</Text>
                  <Text size="sm" c="dimmed">
                    {mode.description}
                  </Text>
                </div>
              </Group>
            </Radio.Card>
          ))}
        </Stack>
      </Radio.Group>

      {anyMapped ? (
        <Checkbox
          label="Remember my column choices for files with these columns"
          description="The next import of files laid out the same way starts with these choices."
          checked={review.saveMappings}
          onChange={(event) => {
            onChange({ ...review, saveMappings: event.currentTarget.checked });
          }}
        />
      ) : null}

      {showProblems && problems.length > 0 ? (
        <Alert ref={summaryRef} tabIndex={-1} variant="light" color="red" icon={<IconAlertTriangle aria-hidden />} title="The import cannot start yet" role="alert">
          <ul className={classes.plainList}>
            {problems.flatMap(({ fileName, problems: fileProblems }) =>
              fileProblems.map((problem) => (
                <li key={`${fileName}-${problem}`}>
                  <strong>{fileName}</strong>: {problem}
                </li>
              )),
            )}
          </ul>
        </Alert>
      ) : null}

      <Group gap="sm">
        <Button size="md" loading={pending} leftSection={<IconPlayerPlay size={18} aria-hidden />} onClick={() => void start()}>
          Start the import
        </Button>
        <Button size="md" variant="default" leftSection={<IconArrowLeft size={18} aria-hidden />} onClick={onBack} disabled={pending}>
          Back to the files
        </Button>
      </Group>
      <Text size="sm" c="dimmed">
        Every row is checked first. If too many rows have problems, or a question needs answering, nothing is changed.
      </Text>
    </Stack>
  );
}
