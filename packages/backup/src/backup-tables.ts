/**
 * One table in an organisation's backup: `tenantColumn` picks the organisation's rows, `key` is
 * unique within them and orders the pages in which rows are read.
 */
export interface BackupTable {
  readonly name: 'organisation' | 'membership' | 'invitation' | 'api_token' | 'contact' | 'campaign' | 'recurring_plan' | 'gift' | 'communication' | 'import_run' | 'import_rejection' | 'gift_soft_credit' | 'recurring_plan_amount' | 'recurring_plan_payment_failure' | 'contact_attribute' | 'import_mapping' | 'campaign_tag';
  readonly tenantColumn: 'id' | 'org_id';
  readonly key: 'id' | 'user_id';
}

/**
 * What a backup holds, in restore order (the organisation row first; it is updated in place,
 * never deleted, since deleting it would cascade to its keys). Every tenant table is either
 * here or in `tablesNotBackedUp`; a test holds the catalog to that.
 */
export const backupTables: readonly BackupTable[] = [
  { name: 'organisation', tenantColumn: 'id', key: 'id' },
  { name: 'membership', tenantColumn: 'org_id', key: 'user_id' },
  { name: 'invitation', tenantColumn: 'org_id', key: 'id' },
  { name: 'api_token', tenantColumn: 'org_id', key: 'id' },
  { name: 'contact', tenantColumn: 'org_id', key: 'id' },
  { name: 'campaign', tenantColumn: 'org_id', key: 'id' },
  { name: 'recurring_plan', tenantColumn: 'org_id', key: 'id' },
  { name: 'gift', tenantColumn: 'org_id', key: 'id' },
  { name: 'communication', tenantColumn: 'org_id', key: 'id' },
  { name: 'gift_soft_credit', tenantColumn: 'org_id', key: 'id' },
  { name: 'recurring_plan_amount', tenantColumn: 'org_id', key: 'id' },
  { name: 'recurring_plan_payment_failure', tenantColumn: 'org_id', key: 'id' },
  { name: 'contact_attribute', tenantColumn: 'org_id', key: 'id' },
  { name: 'import_mapping', tenantColumn: 'org_id', key: 'id' },
  { name: 'campaign_tag', tenantColumn: 'org_id', key: 'id' },
  { name: 'import_run', tenantColumn: 'org_id', key: 'id' },
  { name: 'import_rejection', tenantColumn: 'org_id', key: 'id' },
];

/** Tenant tables deliberately left out of backups, each with its reason. */
export const tablesNotBackedUp: Readonly<Record<string, string>> = {
  organisation_key:
    "the organisation's key material never goes into its backups: the key store is kept and protected separately, so destroying the keys makes every backup unreadable",
  audit_event:
    'the audit log is one append-only hash chain across organisations; a restore must not rewrite history, so events stay where they are',
  import_upload:
    'uploads are transient (an unfinished one is pruned after a day) and their chunks live in the object store, not in the backup; a finished import keeps its files with its run',
};
