import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';

/** The prev_hash of the first event. */
export const auditGenesisHash: Buffer = Buffer.alloc(32);

const pageSize = 1000;

export type AuditChainProblem =
  /** The row's hash does not match its contents: the row was edited after it was written. */
  | 'hash_mismatch'
  /** The row does not follow the one before it: a row was deleted, inserted or moved. */
  | 'broken_link'
  /** The last row is not the recorded chain head: rows were cut from the end, or appended outside audit_append. */
  | 'head_mismatch';

export interface AuditChainFault {
  /** The first row found bad (for head_mismatch: the last row, or null when the log is empty). */
  readonly seq: number | null;
  readonly problem: AuditChainProblem;
  /** For a person: what is wrong and what it means. Holds no row contents. */
  readonly message: string;
}

export type AuditChainVerification =
  | { readonly intact: true; readonly events: number; readonly headSeq: number | null; readonly headHash: Buffer }
  | { readonly intact: false; readonly events: number; readonly fault: AuditChainFault };

interface ChainRow {
  seq: number;
  prev_hash: Buffer;
  row_hash: Buffer;
  canonical: Buffer;
}

/**
 * Walks the whole audit chain in seq order and reports the first bad row. Needs the owner
 * role: the application role sees only one organisation's rows, and org-less events not at all.
 *
 * Deletion, insertion and reordering are found through the prev_hash links, not through gaps in
 * seq (a rolled-back append legitimately skips a number); edits through each row's hash; rows
 * cut from the end through the chain head row that audit_append keeps. Runs in one read-only
 * REPEATABLE READ transaction, so appends during the walk do not disturb it.
 */
export async function verifyAuditChain(ownerDb: Kysely<Database>): Promise<AuditChainVerification> {
  return ownerDb
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (trx) => {
      let expectedPrev = auditGenesisHash;
      let previousSeq: number | null = null;
      let events = 0;
      for (;;) {
        const after: number = previousSeq ?? -1;
        const { rows }: { rows: ChainRow[] } = await sql<ChainRow>`
          SELECT seq, prev_hash, row_hash,
            audit_event_canonical(seq, org_id, occurred_at, actor_user_id, actor_token_id, action,
              target_type, target_id, client_address, user_agent, details) AS canonical
          FROM audit_event WHERE seq > ${after} ORDER BY seq LIMIT ${pageSize}`.execute(trx);
        for (const row of rows) {
          if (!row.prev_hash.equals(expectedPrev)) {
            const before = previousSeq === null ? 'the start of the log' : `event ${String(previousSeq)}`;
            return fault(events, row.seq, 'broken_link', `event ${String(row.seq)} does not follow ${before}: an event was deleted, inserted or moved here`);
          }
          const computed = createHash('sha256').update(row.prev_hash).update(row.canonical).digest();
          if (!computed.equals(row.row_hash)) {
            return fault(events, row.seq, 'hash_mismatch', `event ${String(row.seq)} does not match its hash: it was changed after it was written`);
          }
          expectedPrev = row.row_hash;
          previousSeq = row.seq;
          events += 1;
        }
        if (rows.length < pageSize) break;
      }
      const head = await trx.selectFrom('audit_chain_head').select(['last_seq', 'last_hash']).executeTakeFirst();
      if (head?.last_seq !== previousSeq || !head.last_hash.equals(expectedPrev)) {
        const recorded = head?.last_seq === null || head === undefined ? 'none' : `event ${String(head.last_seq)}`;
        return fault(
          events,
          previousSeq,
          'head_mismatch',
          `the last event is ${previousSeq === null ? 'none' : `event ${String(previousSeq)}`} but the chain head records ${recorded}: events were removed from the end, or added without audit_append`,
        );
      }
      return { intact: true, events, headSeq: previousSeq, headHash: expectedPrev } as const;
    });
}

function fault(events: number, seq: number | null, problem: AuditChainProblem, message: string): AuditChainVerification {
  return { intact: false, events, fault: { seq, problem, message } };
}
