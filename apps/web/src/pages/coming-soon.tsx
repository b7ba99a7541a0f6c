import { Badge, Button, Group, List, Paper, Text, ThemeIcon, Title } from '@mantine/core';
import { IconActivityHeartbeat, IconHourglassHigh, IconPoint } from '@tabler/icons-react';
import { useId } from 'react';
import { Link } from 'react-router';
import { PageHeader } from '../layout/page-header';
import classes from './coming-soon.module.css';
import type { ComingSoonScreen } from './coming-soon-screens';

/** Honest placeholder for a screen that is planned but not built: says what it will do, shows no sample data. */
export function ComingSoon({ screen }: { screen: ComingSoonScreen }) {
  const headingId = useId();
  return (
    <>
      <PageHeader title={screen.title} description={screen.summary} />
      <Paper component="section" aria-labelledby={headingId} withBorder radius="lg" className={classes.panel}>
        <Group gap="sm" className={classes.badgeRow}>
          <ThemeIcon variant="light" size="xl" radius="xl" aria-hidden>
            <IconHourglassHigh size={22} stroke={1.75} />
          </ThemeIcon>
          <Badge variant="light" size="lg" radius="sm">
            Coming soon in this release
          </Badge>
        </Group>

        <Title order={2} size="h3" id={headingId}>
          What this screen will do
        </Title>
        <List
          className={classes.plans}
          spacing="xs"
          icon={<IconPoint size={18} stroke={2} aria-hidden className={classes.bullet} />}
        >
          {screen.plans.map((plan) => (
            <List.Item key={plan}>{plan}</List.Item>
          ))}
        </List>

        <Text c="dimmed" className={classes.note}>
          There is nothing to show here yet. Kindling never fills a screen with sample data, so this one stays empty
          until the feature is ready.
        </Text>

        <Button
          component={Link}
          to="/status"
          variant="light"
          leftSection={<IconActivityHeartbeat size={18} stroke={1.75} aria-hidden />}
        >
          Check system status
        </Button>
      </Paper>
    </>
  );
}
