// Migrations change tables in place, keeping their rows: a warehouse built at an earlier version is migrated, not
// rebuilt (src/db/migrate.ts).
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../src/db/migrate.ts';
import { loadSql, Warehouse } from '../../src/db/warehouse.ts';

/** A warehouse as the baseline alone built it (what a warehouse of the first release holds). */
async function baselineWarehouse(): Promise<Warehouse> {
  const wh = await Warehouse.open({ path: ':memory:' });
  const sql = await loadSql('schema/001_baseline.sql');
  await wh.run(sql);
  await wh.run(
    `create table schema_migration (
       version integer primary key, name varchar not null, checksum varchar not null, applied_at timestamp not null);
     insert into schema_migration values (1, 'baseline', $checksum, now()::timestamp)`,
    { checksum: createHash('sha256').update(sql).digest('hex') },
  );
  return wh;
}

const SHARE =
  '/subscriptions/s1/resourcegroups/rg/providers/microsoft.storage/storageaccounts/a1/fileservices/default/shares/s';

describe('002_inventory_tables_without_keys', () => {
  it('drops the keys of share_observation, share_interval and transaction_count, keeping rows, columns and checks', async () => {
    const wh = await baselineWarehouse();
    try {
      await wh.run(
        `insert into share_observation (observed_at, share_resource_id, billing_resource_id, resource_kind,
           billing_model, media_tier, redundancy, is_deleted, source_kind, source_file, source_line)
         values ('2026-10-01 00:00:00', $share, 'acct', 'classic', 'v2', 'ssd', 'lrs', false, 'csv', 'f.csv', 2)`,
        { share: SHARE },
      );
      await wh.run(
        `insert into share_interval (share_interval_id, share_resource_id, billing_resource_id, resource_kind, state,
           valid_from, billing_model, media_tier, redundancy, observed_at, source_file, source_line, covered_to)
         values ($share || '@2026-10-01T00:00:00Z', $share, 'acct', 'classic', 'live', '2026-10-01 00:00:00', 'v2',
           'ssd', 'lrs', '2026-10-01 00:00:00', 'f.csv', 2, '2026-10-02 00:00:00')`,
        { share: SHARE },
      );
      await wh.run(
        `insert into transaction_count values ('2026-10-01 00:00:00', 'acct', 'PutRange', 'write', 7, 't.csv', 2)`,
      );
      const keys = `select table_name from duckdb_constraints()
                    where constraint_type = 'PRIMARY KEY' and table_name in ('share_observation', 'share_interval', 'transaction_count')
                    order by table_name`;
      expect(await wh.rows(keys)).toEqual([
        { table_name: 'share_interval' },
        { table_name: 'share_observation' },
        { table_name: 'transaction_count' },
      ]);
      const columns = `select table_name, column_name, data_type, is_nullable from information_schema.columns
                       where table_name in ('share_observation', 'share_interval', 'transaction_count')
                       order by table_name, ordinal_position`;
      const before = await wh.rows(columns);

      await migrate(wh);

      expect(await wh.rows(keys)).toEqual([]);
      expect(await wh.rows(columns)).toEqual(before);
      expect(await wh.rows('select share_resource_id, source_line from share_observation')).toEqual([
        { share_resource_id: SHARE, source_line: '2' },
      ]);
      expect(await wh.rows('select share_interval_id, covered_to from share_interval')).toEqual([
        { share_interval_id: `${SHARE}@2026-10-01T00:00:00Z`, covered_to: '2026-10-02 00:00:00' },
      ]);
      expect(await wh.rows('select api_name, transaction_count from transaction_count')).toEqual([
        { api_name: 'PutRange', transaction_count: '7' },
      ]);
      // the checks stay: a state that is neither live nor soft_deleted is still refused
      await expect(wh.run(`update share_interval set state = 'gone'`, undefined, { stage: 'test' })).rejects.toThrow(
        /CHECK constraint/i,
      );
    } finally {
      wh.close();
    }
  });
});

describe('003_recompute_tables_without_keys', () => {
  const TABLES = ['comparison', 'expected_share_usage', 'expected_usage', 'expected_usage_month', 'inventory_coverage'];
  it('drops the keys of the recompute tables and comparison, keeping rows, columns and checks', async () => {
    const wh = await baselineWarehouse();
    try {
      for (const insert of [
        `insert into expected_share_usage values ('share', $share, 'acct', 'files.v2.provisioned_gib', '2026-10-01',
           '2026-10', 'r', 1.5, 3, 2, 'byte_seconds', 31, 86400, 0, true, false, null)`,
        `insert into expected_usage values ('acct', 'files.v2.provisioned_gib', '2026-10-01', '2026-10', 'r', 1.5, 3, 2,
           'byte_seconds', 31, 1, [$share], 0, true, false)`,
      ]) {
        await wh.run(insert, { share: SHARE });
      }
      await wh.run(
        `insert into expected_usage_month values ('acct', 'files.v2.provisioned_gib', '2026-10', 'r', 1.5, 3, 2,
           'byte_seconds', 31, 1, 1, 0, true, false);
         insert into inventory_coverage values ('acct', '2026-10-01', '2026-10', 86400, true);
         insert into comparison values ('2026-10', 'acct', 'files.v2.provisioned_gib', '2026-10-01', 1.5, 1.5, 0, 0.1,
           0.0666, 'USD', true, 'match');`,
      );
      const list = TABLES.map((t) => `'${t}'`).join(', ');
      const keys = `select table_name from duckdb_constraints()
                    where constraint_type = 'PRIMARY KEY' and table_name in (${list}) order by table_name`;
      expect(await wh.rows(keys)).toEqual(TABLES.map((table_name) => ({ table_name })));
      const columns = `select table_name, column_name, data_type, is_nullable from information_schema.columns
                       where table_name in (${list}) order by table_name, ordinal_position`;
      const before = await wh.rows(columns);
      const rows = async () => {
        const all: unknown[] = [];
        for (const table of TABLES) all.push(await wh.rows(`select * from ${table}`));
        return all;
      };
      const kept = await rows();

      await migrate(wh);

      expect(await wh.rows(keys)).toEqual([]);
      expect(await wh.rows(columns)).toEqual(before);
      expect(await rows()).toEqual(kept);
      // the checks stay
      await expect(wh.run(`update comparison set status = 'maybe'`, undefined, { stage: 'test' })).rejects.toThrow(
        /CHECK constraint/i,
      );
      await expect(
        wh.run(`update expected_share_usage set source_kind = 'disk'`, undefined, { stage: 'test' }),
      ).rejects.toThrow(/CHECK constraint/i);
    } finally {
      wh.close();
    }
  });
});
