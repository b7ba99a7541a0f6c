import { Button, Center, Loader, Stack, Text, Title } from '@mantine/core';
import { IconPlugConnectedX, IconRefresh } from '@tabler/icons-react';
import type { ApiError } from '../api/api-client';
import { describeApiError } from '../api/api-error-details';
import { AuthCard } from './auth-card';

/** Shown for the moment it takes to ask the server who is signed in (or another short wait). */
export function SessionLoading({ label = 'Checking your sign-in…' }: { label?: string }) {
  return (
    <Center py="xl" w="100%">
      <Stack align="center" gap="sm">
        <Loader aria-hidden />
        <Text role="status">{label}</Text>
      </Stack>
    </Center>
  );
}

/** The server could not say who is signed in: nothing else on the screen can work until it does. */
export function SessionUnavailable({ error, onRetry }: { error: ApiError; onRetry: () => void }) {
  return (
    <AuthCard title="Kindling cannot be reached">
      <Stack gap="md" align="flex-start">
        <IconPlugConnectedX size={32} stroke={1.5} aria-hidden />
        <Title order={2} size="h4">
          We could not check whether you are signed in
        </Title>
        <Text>{describeApiError(error)}</Text>
        {error.requestId ? <Text size="sm">Request ID: {error.requestId}</Text> : null}
        <Button leftSection={<IconRefresh size={18} aria-hidden />} onClick={onRetry}>
          Try again
        </Button>
      </Stack>
    </AuthCard>
  );
}
