// Turns the staged text of one run into observations: each sql/inventory/<x>_record.sql types and checks its
// records; accepted ones replace what the warehouse held for the same files and keys, rejected ones go to
// quarantine with their reason. Re-running the same files therefore replaces, never appends.
import { runInBatches } from '../db/batches.ts';
import { quoteIdentifier } from '../db/quote.ts';
import type { Warehouse } from '../db/warehouse.ts';
import { dropStageTables, querySql } from './sql.ts';

interface Step {
  /** sql/inventory/<name>_record.sql, materialised as the temp table inventory_<name>_record. */
  name: string;
  /** Observation table the accepted records go to; none for records that are only ever rejected. */
  target?: string;
  key?: readonly string[];
  /**
   * A query that merges the accepted records into target rows (default: the last record per key wins), run a batch
   * of UTC observation days at a time ($batch_from, $batch_to; observed_at is part of every key).
   */
  mergeSql?: string;
}

// Order matters: accounts read file services (retention), shares read both.
const STEPS: readonly Step[] = [
  { name: 'file_service', target: 'file_service_observation', key: ['storage_account_id', 'observed_at'] },
  { name: 'storage_account', target: 'storage_account_observation', key: ['storage_account_id', 'observed_at'] },
  {
    name: 'share',
    target: 'share_observation',
    key: ['share_resource_id', 'observed_at'],
    mergeSql: 'inventory/share_observation.sql',
  },
  {
    name: 'share_snapshot',
    target: 'share_snapshot_observation',
    key: ['share_resource_id', 'snapshot_time', 'observed_at'],
  },
  { name: 'disk_snapshot', target: 'disk_snapshot_observation', key: ['snapshot_resource_id', 'observed_at'] },
  { name: 'unknown_item' },
];

export interface ObservationCounts {
  records: number;
  quarantined: number;
  /** Observation rows written per target table. */
  written: Record<string, number>;
}

/**
 * Applies the staged records of this run (inventory_stage_* temp tables). Runs inside the caller's transaction.
 * `exact`: this run's files are the whole inventory; what other files said before is forgotten.
 */
export async function applyInventoryRecords(
  wh: Warehouse,
  { exact }: { exact: boolean } = { exact: false },
): Promise<ObservationCounts> {
  const context = { stage: 'inventory' };
  if (exact) {
    for (const target of STEPS.flatMap((step) => (step.target ? [step.target] : []))) {
      await wh.run(
        `delete from ${quoteIdentifier(target)} where source_file not in (select source_file from inventory_stage_file)`,
        undefined,
        context,
      );
    }
    await wh.run(
      `delete from quarantine
       where stage = 'inventory' and source_file not in (select source_file from inventory_stage_file)`,
      undefined,
      context,
    );
  }
  await wh.run(
    `delete from quarantine
     where stage = 'inventory' and source_file in (select source_file from inventory_stage_file)`,
    undefined,
    context,
  );
  const counts: ObservationCounts = { records: 0, quarantined: 0, written: {} };
  for (const step of STEPS) {
    const recordTable = quoteIdentifier(`inventory_${step.name}_record`);
    const recordFile = `inventory/${step.name}_record.sql`;
    await wh.run(`create or replace temp table ${recordTable} as ${await querySql(recordFile)}`, undefined, {
      stage: 'inventory',
      file: `sql/${recordFile}`,
    });
    if (step.target && step.key) {
      await rejectRepeats(wh, recordTable, step.key);
      counts.written[step.target] = await replaceObservations(wh, step, recordTable, step.target, step.key);
    }
    const tally = await wh.row<{ records: number; quarantined: number }>(
      `select count(*)::integer as records, count(reject_reason)::integer as quarantined from ${recordTable}`,
      undefined,
      context,
    );
    counts.records += tally?.records ?? 0;
    counts.quarantined += tally?.quarantined ?? 0;
    await wh.run(
      `insert into quarantine (stage, source_file, source_line, reason, raw_text, recorded_at)
       select 'inventory', source_file, source_line, reject_reason, raw_text, now()::timestamp
       from ${recordTable}
       where reject_reason is not null
       order by file_ord, source_line`,
      undefined,
      context,
    );
  }
  // The staged text and typed records are this load's alone (later steps read earlier steps' records, so they go
  // together at the end): their memory goes back before the intervals are built. A month of hourly records of
  // 10,000 shares stages 7.3M rows of text twice over.
  await dropStageTables(
    wh,
    'inventory',
    STEPS.map((step) => `inventory_${step.name}_record`),
  );
  return counts;
}

/**
 * Rejects a record that repeats the key of an accepted earlier record of the same file: one listing cannot say two
 * things about one resource at one time, and keeping either would be a guess (transactions.csv does the same).
 * Records of different files still merge (share_observation.sql): list and show --expand stats of one night.
 */
async function rejectRepeats(wh: Warehouse, recordTable: string, key: readonly string[]): Promise<void> {
  const keyColumns = key.map((k) => `record.${quoteIdentifier(k)}`).join(', ');
  const keyWords = key.length > 1 ? `${key.slice(0, -1).join(', ')} and ${key.at(-1) ?? ''}` : key.join('');
  await wh.run(
    `update ${recordTable} as r
     set reject_reason = 'duplicate of ' || d.first_place || ' (same ' || $key_words || ')'
     from (
       select
         record.source_file,
         record.source_line,
         case when file.file_kind = 'json' then 'item ' else 'line ' end
           || first_value(record.source_line) over by_key as first_place,
         row_number() over by_key as occurrence
       from ${recordTable} as record
       join inventory_stage_file as file on file.source_file = record.source_file
       where record.reject_reason is null
       window by_key as (partition by record.source_file, ${keyColumns} order by record.source_line)
     ) as d
     where d.occurrence > 1 and r.source_file = d.source_file and r.source_line = d.source_line`,
    { key_words: keyWords },
    { stage: 'inventory' },
  );
}

async function replaceObservations(
  wh: Warehouse,
  step: Step,
  recordTable: string,
  target: string,
  key: readonly string[],
): Promise<number> {
  const context = { stage: 'inventory' };
  const table = quoteIdentifier(target);
  const keyList = key.map(quoteIdentifier).join(', ');
  const sameKey = key.map((k) => `r.${quoteIdentifier(k)} = ${table}.${quoteIdentifier(k)}`).join(' and ');
  // the slice this run owns: everything its files gave before, and anything else at the keys it gives now
  await wh.run(
    `delete from ${table}
     where source_file in (select source_file from inventory_stage_file)
        or exists (select 1 from ${recordTable} as r where r.reject_reason is null and ${sameKey})`,
    undefined,
    context,
  );
  if (step.mergeSql) {
    await runInBatches(wh, {
      stage: 'inventory',
      file: step.mergeSql,
      countsSql: `select observed_at::date as batch_key, count(*) as row_count
                  from ${recordTable} where reject_reason is null group by all`,
      statement: (query) => `insert into ${table} by name ${query}`,
    });
  } else {
    await wh.run(
      `insert into ${table} by name
       select * exclude (file_ord, raw_text, reject_reason)
       from ${recordTable}
       where reject_reason is null
       qualify row_number() over (partition by ${keyList} order by file_ord desc, source_line desc) = 1`,
      undefined,
      context,
    );
  }
  const written = await wh.row<{ n: number }>(
    `select count(*)::integer as n from (select distinct ${keyList} from ${recordTable} where reject_reason is null)`,
    undefined,
    context,
  );
  return written?.n ?? 0;
}
