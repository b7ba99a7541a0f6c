import { ActionIcon, Alert, Button, Group, Progress, Text, ThemeIcon } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck, IconFileSpreadsheet, IconPlugConnectedX, IconX } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { formatBytes } from './run-summary';
import type { InterruptedUpload, UploadItem } from './use-uploads';
import classes from './imports.module.css';

function percent(received: number, size: number): number {
  return size === 0 ? 100 : Math.floor((received / size) * 100);
}

/** Seconds until `at`, ticking, for "trying again in 4 s". */
function useSecondsUntil(at: number | null): number | null {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (at === null) return undefined;
    const timer = setInterval(() => {
      setNow(Date.now());
    }, 500);
    return () => {
      clearInterval(timer);
    };
  }, [at]);
  return at === null ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

function statusLine(item: UploadItem, secondsLeft: number | null): string {
  switch (item.status) {
    case 'done':
      return `Uploaded · ${formatBytes(item.size)}`;
    case 'failed':
      return item.error ?? 'The upload stopped.';
    case 'waiting':
      return `Connection lost at ${String(percent(item.received, item.size))} %. Trying again${secondsLeft ? ` in ${String(secondsLeft)} s` : ''}…`;
    case 'uploading':
      return `${String(percent(item.received, item.size))} % · ${formatBytes(item.received)} of ${formatBytes(item.size)}`;
  }
}

function UploadRow({ item, onRemove }: { item: UploadItem; onRemove: () => void }) {
  const secondsLeft = useSecondsUntil(item.retryAt);
  const done = item.status === 'done';
  const Icon = done ? IconCircleCheck : item.status === 'failed' ? IconAlertTriangle : item.status === 'waiting' ? IconPlugConnectedX : IconFileSpreadsheet;
  const colour = done ? 'teal' : item.status === 'failed' ? 'red' : item.status === 'waiting' ? 'orange' : 'gray';
  return (
    <li className={classes.uploadRow}>
      <ThemeIcon variant="light" color={colour} size="lg" radius="md" aria-hidden>
        <Icon size={20} stroke={1.75} />
      </ThemeIcon>
      <div className={classes.uploadBody}>
        <Group justify="space-between" wrap="nowrap" gap="xs">
          <Text fw={600} className={classes.fileName}>
            {item.name}
          </Text>
          <Text size="sm" c="dimmed" className={classes.noWrap}>
            {formatBytes(item.size)}
          </Text>
        </Group>
        {done ? null : (
          <Progress
            value={percent(item.received, item.size)}
            color={colour === 'gray' ? 'ember' : colour}
            size="sm"
            radius="xl"
            mt={6}
            animated={item.status === 'uploading'}
            aria-label={`Upload of ${item.name}`}
          />
        )}
        <Text size="sm" mt={4} c={item.status === 'failed' ? 'red.8' : 'dimmed'}>
          {statusLine(item, secondsLeft)}
        </Text>
      </div>
      <ActionIcon variant="subtle" color="gray" size="lg" onClick={onRemove} aria-label={done ? `Remove ${item.name}` : `Cancel the upload of ${item.name}`}>
        <IconX size={18} aria-hidden />
      </ActionIcon>
    </li>
  );
}

export function UploadList({ items, onRemove }: { items: readonly UploadItem[]; onRemove: (item: UploadItem) => void }) {
  if (items.length === 0) return null;
  return (
    <ul className={classes.uploadList} aria-label="Uploads">
      {items.map((item) => (
        <UploadRow
          key={item.key}
          item={item}
          onRemove={() => {
            onRemove(item);
          }}
        />
      ))}
    </ul>
  );
}

/** Uploads a reload cut short: choosing the same file again goes on from where it stopped. */
export function InterruptedUploads({ entries, onDismiss }: { entries: readonly InterruptedUpload[]; onDismiss: (entry: InterruptedUpload) => void }) {
  if (entries.length === 0) return null;
  return (
    <Alert variant="light" color="blue" title="Uploads to finish" mb="md">
      <Text size="sm" mb="xs">
        These uploads stopped part-way. Choose the same file again and the upload goes on from where it stopped.
      </Text>
      <ul className={classes.plainList}>
        {entries.map((entry) => (
          <li key={entry.uploadId}>
            <Group gap="sm" justify="space-between">
              <Text size="sm">
                <strong>{entry.name}</strong> · {String(percent(entry.received, entry.size))} % of {formatBytes(entry.size)} sent
              </Text>
              <Button variant="subtle" size="compact-sm" onClick={() => {
                  onDismiss(entry);
                }}
                aria-label={`Discard the upload of ${entry.name}`}>
                Discard
              </Button>
            </Group>
          </li>
        ))}
      </ul>
    </Alert>
  );
}
