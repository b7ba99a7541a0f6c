import { Alert, Anchor, Text } from '@mantine/core';
import { IconChevronLeft, IconEye } from '@tabler/icons-react';
import { useCallback, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { roleLabel } from '../account/role-labels';
import { PageHeader } from '../layout/page-header';
import { allows } from '../settings/admin-permissions';
import { useAdminContext, type AdminContext } from '../settings/settings-access';
import { useResource } from '../settings/use-resource';
import { ImportHistory } from './import-history';
import { fetchImportHistory } from './imports-api';
import { NewImport } from './new-import';
import { RunView } from './run-view';
import { SavedMappings } from './saved-mappings';
import shared from '../settings/settings.module.css';
import classes from './imports.module.css';

const TITLE = 'Imports';

/** The organisation and role the screen works for; nothing to show without one. */
function WithOrganisation({ children }: { children: (context: AdminContext) => ReactNode }) {
  const context = useAdminContext();
  if (context === null) {
    return (
      <>
        <PageHeader title={TITLE} />
        <Text>You are not a member of an organisation, so there is nothing to import into.</Text>
      </>
    );
  }
  return children(context);
}

function ImportsScreen({ context }: { context: AdminContext }) {
  const { orgId } = context;
  const history = useResource(useCallback((signal: AbortSignal) => fetchImportHistory(orgId, null, signal), [orgId]));
  const canImport = allows(context.role, 'data.import');
  return (
    <>
      <PageHeader
        title={TITLE}
        description="Bring supporters, gifts and campaigns in from your CRM’s exports. Every row is checked first, and nothing changes unless the whole import can be applied."
      />
      {canImport ? (
        <NewImport orgId={orgId} onRunFinished={history.refresh} />
      ) : (
        <Alert variant="light" color="gray" icon={<IconEye aria-hidden />} title="You can see past imports" className={classes.newImport}>
          Your role here is {roleLabel(context.role)}, which can see what was imported but not import files. If you need to import, ask an owner or administrator.
        </Alert>
      )}
      <ImportHistory orgId={orgId} history={history} />
      {canImport ? <SavedMappings orgId={orgId} /> : null}
    </>
  );
}

export function ImportsPage() {
  return <WithOrganisation>{(context) => <ImportsScreen context={context} />}</WithOrganisation>;
}

/** One past import's result, from the history (the address holds only the run's id). */
export function ImportRunPage() {
  const { runId = '' } = useParams();
  return (
    <WithOrganisation>
      {(context) => (
        <>
          <Anchor component={Link} to="/imports" className={shared.breadcrumb}>
            <IconChevronLeft size={16} aria-hidden />
            Imports
          </Anchor>
          <PageHeader title="Import result" />
          <RunView orgId={context.orgId} runId={runId} canDownload={allows(context.role, 'data.import')} />
        </>
      )}
    </WithOrganisation>
  );
}
