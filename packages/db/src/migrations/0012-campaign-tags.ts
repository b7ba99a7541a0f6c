import { sql, type Kysely } from 'kysely';

/**
 * People's campaign-tagging decisions, kept apart from the imported campaign rows so that no
 * import — which rewrites those rows from the CRM — ever overwrites what a person decided.
 *
 * - campaign_tag: one decision per campaign (or package): `confirmed` with a category and a
 *   channel, or `skipped` (a person chose to leave it untagged). Deleted with its campaign.
 * - campaign_effective_tag: the tag the models use (docs/campaign-tagging.md, "Stored tags").
 *
 * The vocabularies are written out here, once each (the two functions below, used by the
 * table's checks and by the view), not imported: a migration must mean the same thing forever. A
 * test in @kindling/reference-store holds them equal to @kindling/crm-import's `campaignCategories`
 * and `solicitationChannels`; a change to those needs a new migration.
 * The campaign table's `tag_source` column goes: nothing ever set it, and a person's decision
 * now lives in campaign_tag.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE FUNCTION is_campaign_category(value text) RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN value IN ('Appeal', 'Newsletter', 'Acquisition', 'Emergency', 'Event', 'Raffle/Lottery', 'Merchandise', 'Community', 'Peer-to-Peer',
      'Gifts in Will', 'Trusts & Foundations', 'Major Gifts', 'Membership', 'RG Acquisition', 'RG Upgrade', 'RG Retention', 'RG Reactivation', 'Other')`.execute(db);
  await sql`
    CREATE FUNCTION is_solicitation_channel(value text) RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN value IN ('Direct Mail', 'Email', 'Phone', 'SMS', 'Face-to-Face', 'Digital/Online', 'Event', 'Other')`.execute(db);

  await sql`ALTER TABLE campaign DROP COLUMN tag_source`.execute(db);
  await sql`
    CREATE TABLE campaign_tag (
      -- A key of its own, so backups can page through the rows in a stable order.
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      org_id uuid NOT NULL,
      campaign_id uuid NOT NULL,
      decision text NOT NULL CHECK (decision IN ('confirmed', 'skipped')),
      category text CHECK (is_campaign_category(category)),
      channel text CHECK (is_solicitation_channel(channel)),
      -- Who decided: a person, or an API token acting for the organisation.
      decided_by_user_id uuid REFERENCES app_user (id) ON DELETE SET NULL,
      decided_by_token_id uuid,
      decided_at timestamptz NOT NULL DEFAULT now(),
      CHECK (decision = 'confirmed' AND category IS NOT NULL AND channel IS NOT NULL OR decision = 'skipped' AND category IS NULL AND channel IS NULL),
      UNIQUE (org_id, campaign_id),
      FOREIGN KEY (org_id, campaign_id) REFERENCES campaign (org_id, id) ON DELETE CASCADE
    )`.execute(db);
  await sql`ALTER TABLE campaign_tag ENABLE ROW LEVEL SECURITY`.execute(db);
  await sql`ALTER TABLE campaign_tag FORCE ROW LEVEL SECURITY`.execute(db);
  await sql`
    CREATE POLICY campaign_tag_tenant ON campaign_tag
      USING (org_id = nullif(current_setting('kindling.org_id', true), '')::uuid)
      WITH CHECK (org_id = nullif(current_setting('kindling.org_id', true), '')::uuid)`.execute(db);
  await sql`GRANT SELECT, INSERT, UPDATE, DELETE ON campaign_tag TO kindling_app_access`.execute(db);
  // Gifts are summed per campaign and per package on the tagging screen.
  await sql`CREATE INDEX gift_campaign_idx ON gift (org_id, campaign_external_id, package_external_id)`.execute(db);

  // security_invoker: the view reads with the caller's rights, so row-level security still fences it.
  await sql`
    CREATE VIEW campaign_effective_tag WITH (security_invoker = true) AS
    WITH own AS (
      SELECT c.org_id, c.id AS campaign_id, c.external_id, c.parent_external_id, t.decision,
        t.category AS decided_category, t.channel AS decided_channel,
        CASE WHEN is_campaign_category(c.category) THEN c.category END AS crm_category,
        CASE WHEN is_solicitation_channel(c.channel) THEN c.channel END AS crm_channel
      FROM campaign c LEFT JOIN campaign_tag t ON t.org_id = c.org_id AND t.campaign_id = c.id
    ),
    campaign_level AS (
      SELECT own.*,
        CASE WHEN decision IS NOT NULL THEN decided_category ELSE crm_category END AS category,
        CASE WHEN decision IS NOT NULL THEN decided_channel ELSE crm_channel END AS channel,
        CASE WHEN decision = 'confirmed' THEN 'person' WHEN decision = 'skipped' THEN 'skipped'
             WHEN crm_category IS NOT NULL OR crm_channel IS NOT NULL THEN 'crm' ELSE 'none' END AS source
      FROM own
    )
    SELECT o.org_id, o.campaign_id,
      CASE WHEN o.decision IS NOT NULL THEN o.category ELSE coalesce(o.crm_category, parent.category) END AS category,
      CASE WHEN o.decision IS NOT NULL THEN o.channel ELSE coalesce(o.crm_channel, parent.channel) END AS channel,
      CASE WHEN o.source <> 'none' OR parent.source IS NULL OR parent.category IS NULL AND parent.channel IS NULL THEN o.source ELSE 'campaign' END AS source
    FROM campaign_level o
    LEFT JOIN campaign_level parent ON parent.org_id = o.org_id AND parent.external_id = o.parent_external_id AND parent.parent_external_id IS NULL`.execute(db);
  await sql`GRANT SELECT ON campaign_effective_tag TO kindling_app_access`.execute(db);
}
