import { DuckDBInstance } from '@duckdb/node-api';
const inst = await DuckDBInstance.create('/work/prof/p1.duckdb', { threads: '2', access_mode: 'READ_ONLY' });
const c = await inst.connect();
const inner = `select 's' as kind, hash(o) h from share_observation o
     union all select 'a', hash(o) from storage_account_observation o
     union all select 'd', hash(o) from disk_snapshot_observation o
     union all select 't', hash(o) from transaction_count o`;
for (const [name, q] of [
  ['hash sum', `select count(*), sum(h::hugeint), bit_xor(h) from (${inner}) t`],
  ['hash sum hash', `select count(*), sum(hash(h, kind)::hugeint) from (${inner}) t`],
]) {
  const t = performance.now();
  const r = await c.runAndReadAll(q);
  console.log(name, ((performance.now() - t) / 1000).toFixed(2), JSON.stringify(r.getRowsJson()[0]));
}
