import { Avatar, Button, Menu, Paper, Text, UnstyledButton } from '@mantine/core';
import { IconChevronDown, IconLogout, IconShieldLock } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { describeApiError } from '../api/api-error-details';
import { switchOrganisation, type Session } from '../auth/auth-api';
import { roleLabel } from '../account/role-labels';
import { useSession } from '../auth/use-session';
import classes from './user-menu.module.css';

function initials(email: string): string {
  const name = email.split('@')[0] ?? '';
  const parts = name.split(/[._-]+/).filter(Boolean);
  const letters = parts.length >= 2 ? `${parts[0]?.[0] ?? ''}${parts[1]?.[0] ?? ''}` : name.slice(0, 2);
  return letters.toUpperCase();
}

/** Who is signed in, in which organisation; switching organisation, account security and signing out. */
export function UserMenu({ session }: { session: Session }) {
  const { refresh, signOut } = useSession();
  const [problem, setProblem] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const { user, organisations, currentOrganisationId } = session;
  const organisation = organisations.find((candidate) => candidate.id === currentOrganisationId) ?? null;

  async function chooseOrganisation(id: string) {
    if (id === currentOrganisationId) return;
    setProblem(null);
    try {
      await switchOrganisation(id);
      await refresh();
      const chosen = organisations.find((candidate) => candidate.id === id);
      setAnnouncement(chosen ? `You are now working in ${chosen.name}.` : '');
    } catch (error) {
      setProblem(`Kindling could not switch organisation. ${describeApiError(error)}`);
    }
  }

  async function handleSignOut() {
    setProblem(null);
    try {
      // Once signed out, the session guard takes the person to the sign-in screen.
      await signOut();
    } catch (error) {
      setProblem(`Kindling could not sign you out. ${describeApiError(error)}`);
    }
  }

  return (
    <>
      <Menu position="bottom-end" width={280} shadow="md" withinPortal withInitialFocusPlaceholder={false}>
        <Menu.Target>
          <UnstyledButton className={classes.target}>
            <Avatar color="ember" radius="xl" size="md" aria-hidden>
              {initials(user.email)}
            </Avatar>
            <span className={classes.targetText}>
              <span className={classes.email}>{user.email}</span>
              {organisation ? <span className={classes.organisation}>{organisation.name}</span> : null}
            </span>
            <IconChevronDown size={16} aria-hidden />
          </UnstyledButton>
        </Menu.Target>

        <Menu.Dropdown>
          <Menu.Label>Signed in as</Menu.Label>
          <Text size="sm" fw={500} className={classes.signedInAs}>
            {user.email}
          </Text>

          {organisations.length > 1 ? (
            <>
              <Menu.Divider />
              <Menu.Label>Organisation</Menu.Label>
              <Menu.RadioGroup
                value={currentOrganisationId}
                onChange={(id) => {
                  void chooseOrganisation(id);
                }}
              >
                {organisations.map((candidate) => (
                  <Menu.RadioItem key={candidate.id} value={candidate.id} closeMenuOnClick>
                    {candidate.name}
                  </Menu.RadioItem>
                ))}
              </Menu.RadioGroup>
            </>
          ) : organisation ? (
            <>
              <Menu.Divider />
              <Menu.Label>Organisation</Menu.Label>
              <Text size="sm" className={classes.signedInAs}>
                {organisation.name} ({roleLabel(organisation.role)})
              </Text>
            </>
          ) : null}

          <Menu.Divider />
          <Menu.Item component={Link} to="/account/security" leftSection={<IconShieldLock size={16} aria-hidden />}>
            Account security
          </Menu.Item>
          <Menu.Item
            leftSection={<IconLogout size={16} aria-hidden />}
            onClick={() => {
              void handleSignOut();
            }}
          >
            Sign out
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>

      <span role="status" className={classes.visuallyHidden}>
        {announcement}
      </span>
      <div role="alert" className={classes.problem}>
        {problem ? (
          <Paper withBorder shadow="md" radius="md" className={classes.problemCard}>
            <Text size="sm">{problem}</Text>
            <Button
              variant="default"
              size="compact-sm"
              mt="xs"
              onClick={() => {
                setProblem(null);
              }}
            >
              Dismiss
            </Button>
          </Paper>
        ) : null}
      </div>
    </>
  );
}
