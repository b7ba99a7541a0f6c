import { Button, Code, Container, Group, Text, Title } from '@mantine/core';
import { isRouteErrorResponse, useRouteError } from 'react-router';
import { MAIN_ID } from '../layout/skip-link';

function describe(error: unknown): string {
  if (isRouteErrorResponse(error)) return `${String(error.status)} ${error.statusText}`;
  if (error instanceof Error) return error.message;
  return String(error);
}

/** Last-resort screen for an unexpected rendering error, so staff see a way forward instead of a blank page. */
export function RouteErrorPage() {
  const error = useRouteError();
  return (
    <main id={MAIN_ID} tabIndex={-1}>
      <title>Something went wrong · Kindling</title>
      <Container size="sm" py="xl">
        <Title order={1}>Something went wrong</Title>
        <Text mt="sm">
          This screen hit an unexpected problem. Reloading usually fixes it. If it keeps happening, share the details
          below with whoever looks after your Kindling server.
        </Text>
        <Code block mt="md">
          {describe(error)}
        </Code>
        <Group mt="lg">
          <Button onClick={() => {
              window.location.reload();
            }}>Reload the page</Button>
          <Button component="a" href="/" variant="default">
            Go to Overview
          </Button>
        </Group>
      </Container>
    </main>
  );
}
