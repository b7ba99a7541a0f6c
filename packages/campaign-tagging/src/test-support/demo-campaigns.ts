import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { campaignCategories, openCsvFile, solicitationChannels, type CampaignCategory, type SolicitationChannel } from '@kindling/crm-import';
import { generateDemoData } from '@kindling/demo-data';
import type { GiftPattern, LabelledCampaign } from '../campaign-input.js';

/** A generated campaign or package with its true tags, its year and gift pattern from the generated gifts. */
export interface DemoCampaign extends LabelledCampaign {
  readonly id: string;
  /** A package of a campaign rather than the campaign itself. */
  readonly isPackage: boolean;
  readonly year: number;
  readonly category: CampaignCategory;
  readonly channel: SolicitationChannel;
  readonly gifts: { readonly count: number; readonly revenue: number };
}

async function readRows(directory: string, fileName: string): Promise<Record<string, string>[]> {
  const file = await openCsvFile(createReadStream(path.join(directory, fileName)), { fileName });
  const rows: Record<string, string>[] = [];
  let headers: readonly string[] | undefined;
  for await (const record of file.records) {
    if (headers === undefined) headers = record.fields;
    else rows.push(Object.fromEntries(headers.map((header, index) => [header, record.fields[index] ?? ''])));
  }
  return rows;
}

function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

interface GiftTally {
  readonly amounts: number[];
  recurring: number;
}

function tally(byId: Map<string, GiftTally>, id: string): GiftTally {
  const existing = byId.get(id);
  if (existing !== undefined) return existing;
  const created: GiftTally = { amounts: [], recurring: 0 };
  byId.set(id, created);
  return created;
}

function countBy(rows: readonly Record<string, string>[], keys: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const row of rows) for (const key of keys) {
    const id = row[key] ?? '';
    if (id !== '') counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

/**
 * Generates a clean demo organisation (generic format) and reads back its campaigns and packages with
 * the tags the simulation gave them — realistic names and codes with known answers.
 */
export async function generateDemoCampaigns(options: { contacts: number; years: number; seed: string }): Promise<DemoCampaign[]> {
  const directory = await fs.mkdtemp(path.join(os.tmpdir(), 'kindling-campaign-tagging-'));
  try {
    await generateDemoData({ ...options, format: 'generic', outDir: path.join(directory, 'out'), quirkRate: 0 });
    const out = path.join(directory, 'out');
    const [campaigns, gifts, communications] = await Promise.all([readRows(out, 'campaigns.csv'), readRows(out, 'gifts.csv'), readRows(out, 'communications.csv')]);
    const tallies = new Map<string, GiftTally>();
    for (const gift of gifts) {
      for (const id of new Set([gift['campaign_external_id'] ?? '', gift['package_external_id'] ?? ''])) {
        if (id === '') continue;
        const entry = tally(tallies, id);
        entry.amounts.push(Number(gift['amount']));
        if (gift['type'] === 'recurring instalment') entry.recurring += 1;
      }
    }
    const recipients = countBy(communications, ['campaign_external_id', 'package_external_id']);
    return campaigns.map((row) => {
      const id = row['external_id'] ?? '';
      const [, month = '', year = ''] = (row['start_date'] ?? '').split('/');
      const entry = tallies.get(id);
      const sent = recipients.get(id);
      const amounts = entry?.amounts ?? [];
      const medianAmount = median(amounts);
      const giftPattern: GiftPattern = {
        startMonth: Number(month),
        ...(entry === undefined ? {} : { recurringShare: entry.recurring / amounts.length }),
        ...(medianAmount === undefined ? {} : { medianAmount }),
        ...(sent === undefined ? {} : { giftsPerRecipient: amounts.length / sent }),
      };
      const category = campaignCategories.find((known) => known === row['category']) ?? 'Other';
      const channel = solicitationChannels.find((known) => known === row['channel']) ?? 'Other';
      return { id, isPackage: (row['parent_external_id'] ?? '') !== '', year: Number(year), name: row['name'] ?? '', code: row['code'] ?? '', category, channel, giftPattern, gifts: { count: amounts.length, revenue: amounts.reduce((sum, amount) => sum + amount, 0) } };
    });
  } finally {
    await fs.rm(directory, { recursive: true, force: true });
  }
}
