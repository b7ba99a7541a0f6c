import { Alert, Button, Code, Stack, Text } from '@mantine/core';
import { IconPlugConnectedX, IconRefresh } from '@tabler/icons-react';
import type { ApiError } from '../api/api-client';
import { formatTime } from './format';

interface StatusErrorProps {
  error: ApiError;
  /** When the last successful check happened, if the page is still showing its results. */
  staleSince: Date | null;
  onRetry: () => void;
}

export function StatusError({ error, staleSince, onRetry }: StatusErrorProps) {
  const unreachable = error.kind === 'unreachable';
  return (
    <Alert
      variant="light"
      color="red"
      title={unreachable ? 'The Kindling server did not answer' : 'The status check failed'}
      icon={<IconPlugConnectedX aria-hidden />}
    >
      <Stack gap="xs" align="flex-start">
        {unreachable ? (
          <Text size="sm">
            Check that <Code>npm start</Code> is running, then retry.
          </Text>
        ) : (
          <>
            <Text size="sm">{error.message}</Text>
            <Text size="sm">Try again in a moment. If it keeps happening, share the request ID with whoever looks after your Kindling server.</Text>
          </>
        )}
        {error.requestId ? (
          <Text size="sm">
            Request ID: <Code>{error.requestId}</Code>
          </Text>
        ) : null}
        {staleSince ? (
          <Text size="sm">The results below are from the last successful check at {formatTime(staleSince)}.</Text>
        ) : null}
        <Button size="sm" leftSection={<IconRefresh size={16} aria-hidden />} onClick={onRetry}>
          Retry
        </Button>
      </Stack>
    </Alert>
  );
}
