// Realistic-scale timing of recompute(), run by hand (not part of the test suite):
//   npx tsx test/recompute/scale.ts [shares=2000]
// Generates, in SQL, <shares> shares in 50-share accounts over January 2024 with 4 state changes each at
// arbitrary seconds (v1 / v2 / payg mixed, every tenth share soft-deleted in its 4th interval), plus hourly
// transaction counts for the pay-as-you-go accounts, then times one full recompute.
import { performance } from 'node:perf_hooks';
import { recompute } from '../../src/recompute/index.ts';
import { openTestWarehouse } from '../helpers/warehouse.ts';

const shares = Number(process.argv[2] ?? 2000);
const wh = await openTestWarehouse();

await wh.run(
  `insert into share_interval (share_interval_id, share_resource_id, billing_resource_id, resource_kind, state,
     valid_from, valid_to, billing_model, media_tier, redundancy, protocol, access_tier, provisioned_gib,
     provisioned_iops, provisioned_mibps, used_bytes, snapshot_differential_bytes, metadata_bytes, observed_at,
     source_file, source_line)
   with
   share as (
     select s, '/subscriptions/s/resourcegroups/rg/providers/microsoft.storage/storageaccounts/acct' || (s // 50) as account,
       ['v1', 'v2', 'payg'][(s // 50) % 3 + 1] as model
     from range($shares) t(s)
   ),
   change as (
     -- 4 changes at arbitrary seconds: interval k runs from change k to change k + 1
     select share.*, k,
       case when k = 0 then timestamp '2024-01-01 00:00:00'
            else timestamp '2024-01-01 00:00:00' + to_seconds(k * 6 * 86400 + hash(s, k) % 86400) end as valid_from,
       case when k = 4 then timestamp '2024-02-01 00:00:00'
            else timestamp '2024-01-01 00:00:00' + to_seconds((k + 1) * 6 * 86400 + hash(s, k + 1) % 86400) end as valid_to
     from share, range(5) r(k)
   )
   select inv_interval_id(account || '/fileservices/default/shares/s' || s, valid_from), account || '/fileservices/default/shares/s' || s,
     account, 'classic', case when k = 3 and s % 10 = 0 then 'soft_deleted' else 'live' end, valid_from, valid_to, model,
     case when model = 'payg' then 'hdd' else 'ssd' end, 'lrs', 'smb', case when model = 'payg' then 'hot' else 'premium' end,
     100 + (hash(s, k, 'gib') % 900)::bigint, 4000, 200, (hash(s, k, 'used') % (800 * 1073741824::bigint))::bigint,
     (hash(s, k, 'snap') % (200 * 1073741824::bigint))::bigint, (hash(s, k, 'meta') % 1073741824)::bigint, valid_from,
     'generated', s
   from change`,
  { shares },
);
await wh.run(
  `insert into transaction_count (usage_hour, billing_resource_id, api_name, bucket, transaction_count, source_file,
     source_line)
   select hour, billing_resource_id, api, bucket, (hash(billing_resource_id, hour, api) % 100000)::bigint, 'generated', null
   from (select distinct billing_resource_id from share_interval where billing_model = 'payg'),
        range(timestamp '2024-01-01', timestamp '2024-02-01', interval 1 hour) h(hour),
        (values ('PutRange', 'write'), ('ListFiles', 'list'), ('Read', 'read'), ('Close', 'other'), ('DeleteFile', 'delete')) a(api, bucket)`,
);
const counts = await wh.row<{ intervals: string; transactions: string }>(
  `select (select count(*) from share_interval) as intervals, (select count(*) from transaction_count) as transactions`,
);
const started = performance.now();
const report = await recompute(wh, { month: '2024-01' });
const seconds = (performance.now() - started) / 1000;
const rows = await wh.row<{ share_rows: string; coverage_rows: string }>(
  `select (select count(*) from expected_share_usage) as share_rows, (select count(*) from inventory_coverage) as coverage_rows`,
);
console.log(JSON.stringify({ shares, ...counts, ...rows, report, seconds: seconds.toFixed(2) }));
wh.close();
