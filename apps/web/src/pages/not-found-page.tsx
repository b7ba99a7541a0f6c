import { Button, Code, Group, Text } from '@mantine/core';
import { IconActivityHeartbeat, IconLayoutDashboard } from '@tabler/icons-react';
import { Link, useLocation } from 'react-router';
import { PageHeader } from '../layout/page-header';

export function NotFoundPage() {
  const { pathname } = useLocation();
  return (
    <>
      <PageHeader
        title="Page not found"
        description={
          <>
            There is no page at <Code>{pathname}</Code>. The link may be mistyped, or the page may have moved.
          </>
        }
      />
      <Text mb="md">Use the navigation, or go to one of these:</Text>
      <Group gap="sm">
        <Button component={Link} to="/" leftSection={<IconLayoutDashboard size={18} stroke={1.75} aria-hidden />}>
          Go to Overview
        </Button>
        <Button
          component={Link}
          to="/status"
          variant="default"
          leftSection={<IconActivityHeartbeat size={18} stroke={1.75} aria-hidden />}
        >
          Check system status
        </Button>
      </Group>
    </>
  );
}
