import { Button, List, Paper, Text, Title } from '@mantine/core';
import { IconArrowRight, IconKey, IconListDetails, IconPoint, IconUsers, type Icon } from '@tabler/icons-react';
import { useId } from 'react';
import { Link } from 'react-router';
import { PageHeader } from '../layout/page-header';
import { sectionsFor } from './admin-permissions';
import { RequirePermission, type AdminContext } from './settings-access';
import classes from './settings.module.css';

const TITLE = 'Settings';
const ICONS: Record<string, Icon> = {
  '/settings/users': IconUsers,
  '/settings/api-tokens': IconKey,
  '/settings/audit-log': IconListDetails,
};

const LATER = ['Your organisation’s details and financial year.', 'How long donor data is kept.'];

function SettingsOverview({ context }: { context: AdminContext }) {
  const laterId = useId();
  return (
    <>
      <PageHeader title={TITLE} description={`Manage who can use Kindling for ${context.orgName}, and check what they have done.`} />
      <ul className={classes.cards} aria-label="Settings">
        {sectionsFor(context.role).map((section) => {
          const SectionIcon = ICONS[section.path] ?? IconArrowRight;
          const headingId = `settings-card-${section.path.split('/').at(-1) ?? ''}`;
          return (
            <Paper component="li" key={section.path} withBorder radius="lg" className={classes.card}>
              <SectionIcon size={28} stroke={1.5} aria-hidden />
              <Title order={2} size="h4" id={headingId}>
                {section.title}
              </Title>
              <Text size="sm">{section.summary}</Text>
              <Button
                component={Link}
                to={section.path}
                variant="light"
                className={classes.cardLink}
                rightSection={<IconArrowRight size={16} aria-hidden />}
                aria-label={`Open ${section.title}`}
              >
                Open
              </Button>
            </Paper>
          );
        })}
      </ul>
      <section aria-labelledby={laterId} className={classes.section}>
        <Title order={2} size="h4" id={laterId} mt="xl">
          Coming in a later release
        </Title>
        <List mt="xs" spacing="xs" icon={<IconPoint size={18} stroke={2} aria-hidden />}>
          {LATER.map((item) => (
            <List.Item key={item}>{item}</List.Item>
          ))}
        </List>
      </section>
    </>
  );
}

export function SettingsPage() {
  return (
    <RequirePermission requires="settings.manage" title={TITLE}>
      {(context) => <SettingsOverview context={context} />}
    </RequirePermission>
  );
}
