-- share_record — grain: source_file × source_line. Every share record of this run, typed: canonical
-- share_state.csv rows, classic share items (az storage share-rm list/show, flattened; ARM REST, nested under
-- properties) and Microsoft.FileShares items. Classic JSON shares take billing model, media and redundancy from
-- their storage account's nearest observation. reject_reason names every problem of a bad record.
-- Long because it types three shapes of share record (CSV, classic ARM/az JSON, Microsoft.FileShares) side by side.
with
csv_share as (
  select
    'csv' as source_kind,
    source_file,
    file_ord,
    source_line,
    raw_text,
    observed_at as observed_at_text,
    share_resource_id as share_id_text,
    null::varchar as share_name,
    null::varchar as share_version,
    billing_resource_id as billing_resource_id_text,
    false as needs_account,
    billing_model as billing_model_text,
    media_tier as media_tier_text,
    redundancy as redundancy_text,
    protocol as protocol_text,
    access_tier as access_tier_text,
    provisioned_gib as provisioned_gib_text,
    provisioned_iops as provisioned_iops_text,
    provisioned_mibps as provisioned_mibps_text,
    used_bytes as used_bytes_text,
    snapshot_differential_bytes as snapshot_differential_bytes_text,
    metadata_bytes as metadata_bytes_text,
    is_deleted as is_deleted_text,
    deleted_at as deleted_at_text,
    retention_days as retention_days_text,
    null::varchar as remaining_retention_days_text,
    null::varchar as quota_downgrade_text,
    null::varchar as iops_downgrade_text,
    null::varchar as mibps_downgrade_text,
    null::varchar as properties_problem
  from inventory_stage_share_csv
),
classic_item as (
  -- share snapshots (snapshotTime set) are not share states: share_snapshot_record.sql reads them
  select * from inventory_stage_json_item
  where item_kind = 'classic_share' and inv_text(inv_prop(item, 'snapshotTime')) is null
),
classic_share as (
  select
    case when (item -> '$.properties') is not null then 'arm_share' else 'az_share_rm' end as source_kind,
    source_file,
    file_ord,
    item_index as source_line,
    item::varchar as raw_text,
    observed_at_text,
    item ->> '$.id' as share_id_text,
    item ->> '$.name' as share_name,
    inv_prop(item, 'version') as share_version,
    null::varchar as billing_resource_id_text,
    true as needs_account,
    null::varchar as billing_model_text,
    null::varchar as media_tier_text,
    null::varchar as redundancy_text,
    inv_prop(item, 'enabledProtocols') as protocol_text,
    inv_prop(item, 'accessTier') as access_tier_text,
    inv_prop(item, 'shareQuota') as provisioned_gib_text,
    inv_prop(item, 'provisionedIops') as provisioned_iops_text,
    inv_prop(item, 'provisionedBandwidthMibps') as provisioned_mibps_text,
    inv_prop(item, 'shareUsageBytes') as used_bytes_text,
    null::varchar as snapshot_differential_bytes_text,
    null::varchar as metadata_bytes_text,
    coalesce(inv_prop(item, 'deleted'), 'false') as is_deleted_text,
    inv_prop(item, 'deletedTime') as deleted_at_text,
    null::varchar as retention_days_text,
    inv_prop(item, 'remainingRetentionDays') as remaining_retention_days_text,
    inv_prop(item, 'nextAllowedQuotaDowngradeTime') as quota_downgrade_text,
    inv_prop(item, 'nextAllowedProvisionedIopsDowngradeTime') as iops_downgrade_text,
    inv_prop(item, 'nextAllowedProvisionedBandwidthDowngradeTime') as mibps_downgrade_text,
    inv_object_problem(item, 'properties') as properties_problem
  from classic_item
),
fileshare_share as (
  -- Microsoft.FileShares: provisioned v2 only, billed per share; its own property names (export-formats.md §5b)
  select
    'fileshares' as source_kind,
    source_file,
    file_ord,
    item_index as source_line,
    item::varchar as raw_text,
    observed_at_text,
    item ->> '$.id' as share_id_text,
    item ->> '$.name' as share_name,
    null::varchar as share_version,
    null::varchar as billing_resource_id_text,
    false as needs_account,
    'v2' as billing_model_text,
    inv_prop(item, 'mediaTier') as media_tier_text,
    case lower(inv_prop(item, 'redundancy'))
      when 'local' then 'lrs' when 'zone' then 'zrs' when 'geo' then 'grs' when 'geozone' then 'gzrs'
      else inv_prop(item, 'redundancy')
    end as redundancy_text,
    inv_prop(item, 'protocol') as protocol_text,
    null::varchar as access_tier_text,
    inv_prop(item, 'provisionedStorageGiB') as provisioned_gib_text,
    inv_prop(item, 'provisionedIOPerSec') as provisioned_iops_text,
    inv_prop(item, 'provisionedThroughputMiBPerSec') as provisioned_mibps_text,
    null::varchar as used_bytes_text,
    null::varchar as snapshot_differential_bytes_text,
    null::varchar as metadata_bytes_text,
    'false' as is_deleted_text,
    null::varchar as deleted_at_text,
    null::varchar as retention_days_text,
    null::varchar as remaining_retention_days_text,
    inv_prop(item, 'provisionedStorageNextAllowedDowngrade') as quota_downgrade_text,
    inv_prop(item, 'provisionedIOPerSecNextAllowedDowngrade') as iops_downgrade_text,
    inv_prop(item, 'provisionedThroughputNextAllowedDowngrade') as mibps_downgrade_text,
    inv_object_problem(item, 'properties') as properties_problem
  from inventory_stage_json_item
  where item_kind = 'fileshare'
),
share_text as (
  select * from csv_share
  union all by name
  select * from classic_share
  union all by name
  select * from fileshare_share
),
-- Stored once, whole (every later step reads it): identified. normalised_id and keyed are each read three times,
-- and DuckDB stored those too, 730k wide records with their raw text each in the bench night; inlined, their small
-- readers (the deleted listings, the accounts, the retention policies) scan only the few columns they need.
-- share_record.sql 10.9 → 7.4–8.0 s with the same observations; inlining identified as well took 9.5–10.0 s.
identified as materialized (
  select
    *,
    inv_timestamp(observed_at_text) as observed_at,
    normalised_resource_id(share_id_text) as given_share_id,
    inv_boolean(coalesce(inv_text(is_deleted_text), 'false')) as is_deleted,
    inv_timestamp(deleted_at_text) as deleted_at
  from share_text
),
normalised_id as not materialized (
  select
    *,
    -- ARM lists a soft-deleted share as …/shares/<name>_<version>: the live share's id is …/shares/<name>
    case
      when is_deleted and share_version is not null
        and ends_with(given_share_id, '/' || lower(share_name) || '_' || lower(share_version))
        then left(given_share_id, length(given_share_id) - length(share_version) - 1)
      else given_share_id
    end as base_share_id
  from identified
),
-- The listings of a share's name (base id) at one time that hold a deleted version: only there can a record's key
-- differ from its base id. Grouped over those few, not windowed over every record (a window over a month of hourly
-- records, 7.3M, took minutes).
deleted_base as (
  select
    n.base_share_id,
    n.observed_at,
    bool_or(not n.is_deleted) as has_live_version,
    arg_max(n.given_share_id, (n.deleted_at, n.given_share_id)) filter (where n.is_deleted) as latest_deleted_id
  from normalised_id as n
  semi join (select distinct base_share_id, observed_at from normalised_id where is_deleted) as d
    on d.base_share_id is not distinct from n.base_share_id and d.observed_at is not distinct from n.observed_at
  group by n.base_share_id, n.observed_at
),
keyed as not materialized (
  select
    n.*,
    -- a share re-created while an older version is soft-deleted: the same listing has both; the deleted one
    -- keeps its versioned id and so its own history. Of several soft-deleted versions and no live share, the
    -- latest deletion continues the share's history and the older ones keep their versioned ids: all are billed.
    case
      when n.is_deleted and b.has_live_version then n.given_share_id
      when n.is_deleted and n.given_share_id <> b.latest_deleted_id then n.given_share_id
      else n.base_share_id
    end as share_resource_id,
    case
      when regexp_full_match(n.base_share_id,
        '/subscriptions/[^/]+/resourcegroups/[^/]+/providers/microsoft\.storage/storageaccounts/[^/]+/fileservices/default/shares/[^/]+')
        then 'classic'
      when regexp_full_match(n.base_share_id,
        '/subscriptions/[^/]+/resourcegroups/[^/]+/providers/microsoft\.fileshares/fileshares/[^/]+')
        then 'fileshares'
    end as resource_kind,
    regexp_extract(n.base_share_id, '^(.*/providers/microsoft\.storage/storageaccounts/[^/]+)/', 1) as storage_account_id
  from normalised_id as n
  -- deleted_base has one row per base id and time and is read only for a deleted record (the cases below): not a
  -- join condition, so that the join hashes instead of looping over every pair (1.2 s of 730k records)
  left join deleted_base as b
    on b.base_share_id is not distinct from n.base_share_id
    and b.observed_at is not distinct from n.observed_at
),
account as (
  select * from storage_account_observation
),
-- the nearest observation of a classic JSON share's storage account (earlier one on a tie), once per account and
-- observation time, not per record; distances in milliseconds: in microseconds, a rejected record's placeholder
-- time (290308-12-31 BC) overflows BIGINT
nearest_account as (
  select
    need.storage_account_id,
    need.observed_at,
    account.storage_account_id as account_found_id,
    account.billing_model as account_billing_model,
    account.media_tier as account_media_tier,
    account.redundancy as account_redundancy
  from (
    select distinct storage_account_id, observed_at from keyed where needs_account and resource_kind = 'classic'
  ) as need
  join account on account.storage_account_id = need.storage_account_id
  qualify row_number() over (
    partition by need.storage_account_id, need.observed_at
    order by abs(epoch_ms(account.observed_at) - epoch_ms(need.observed_at)), account.observed_at
  ) = 1
),
with_account as (
  select
    keyed.*,
    nearest.account_found_id,
    nearest.account_billing_model,
    nearest.account_media_tier,
    nearest.account_redundancy
  from keyed
  left join nearest_account as nearest
    on keyed.needs_account and keyed.resource_kind = 'classic'
    and nearest.storage_account_id = keyed.storage_account_id
    and nearest.observed_at is not distinct from keyed.observed_at
),
quarantined_account as (
  -- accounts this run quarantined (storage_account_record.sql ran first): their shares are told why
  select storage_account_id, arg_min(reject_reason, (file_ord, source_line)) as account_reject_reason
  from inventory_storage_account_record
  where reject_reason is not null and storage_account_id is not null
  group by storage_account_id
),
file_service as (
  select * from file_service_observation
),
-- a deleted share's account soft-delete retention: its nearest file-service observation (earlier one on a tie),
-- once per account and observation time
nearest_policy as (
  select
    need.storage_account_id,
    need.observed_at,
    file_service.share_delete_retention_days as policy_retention_days
  from (select distinct storage_account_id, observed_at from keyed where is_deleted) as need
  join file_service on file_service.storage_account_id = need.storage_account_id
  qualify row_number() over (
    partition by need.storage_account_id, need.observed_at
    order by abs(epoch_ms(file_service.observed_at) - epoch_ms(need.observed_at)), file_service.observed_at
  ) = 1
),
with_policy as (
  select
    with_account.*,
    quarantined_account.account_reject_reason,
    nearest_policy.policy_retention_days
  from with_account
  left join quarantined_account
    on with_account.account_found_id is null and quarantined_account.storage_account_id = with_account.storage_account_id
  left join nearest_policy
    on with_account.is_deleted
    and nearest_policy.storage_account_id = with_account.storage_account_id
    and nearest_policy.observed_at is not distinct from with_account.observed_at
),
resolved as (
  select
    *,
    coalesce(lower(trim(billing_model_text)), account_billing_model) as billing_model,
    coalesce(lower(trim(media_tier_text)), account_media_tier) as media_tier,
    coalesce(inv_redundancy(redundancy_text), account_redundancy) as redundancy,
    lower(trim(redundancy_text)) as given_redundancy,
    -- classic JSON shares learn model, media and redundancy from their account; without one they are not checked
    not needs_account or account_found_id is not null as has_model_source,
    lower(inv_text(protocol_text)) as protocol,
    -- TransactionOptimized → transaction_optimized
    lower(regexp_replace(inv_text(access_tier_text), '([a-z])([A-Z])', '\1_\2', 'g')) as access_tier,
    case resource_kind when 'classic' then storage_account_id else base_share_id end as derived_billing_resource_id,
    normalised_resource_id(billing_resource_id_text) as given_billing_resource_id,
    -- retention: given; else remainingRetentionDays + whole days since deletion; else the account's policy
    -- (implausible days or times are rejected below; left out of the sum, they cannot overflow BIGINT)
    coalesce(
      inv_bigint(retention_days_text),
      case when inv_bigint(remaining_retention_days_text) <= inv_max_retention_days()
        and inv_is_plausible_time(deleted_at) and inv_is_plausible_time(observed_at)
        then inv_bigint(remaining_retention_days_text) + (epoch_us(observed_at) - epoch_us(deleted_at)) // 86400000000
      end,
      policy_retention_days
    ) as retention_days
  from with_policy
),
checked as (
  select
    *,
    inv_reasons([
      properties_problem,
      case when inv_text(observed_at_text) is null then 'observed_at is missing'
        else inv_time_problem('observed_at', observed_at_text, observed_at) end,
      case when given_share_id is null or given_share_id = '' then 'share id is missing'
        when resource_kind is null then 'share id ''' || given_share_id || ''' is not an ARM file share id' end,
      case when resource_kind = 'classic' and source_kind = 'fileshares'
        then 'a Microsoft.FileShares item has a classic share id' end,
      case when given_billing_resource_id is not null and resource_kind is not null
        and given_billing_resource_id <> derived_billing_resource_id
        then 'billing_resource_id ''' || given_billing_resource_id || ''' is not the share''s billed resource '''
          || derived_billing_resource_id || '''' end,
      case when needs_account and resource_kind = 'classic' and account_found_id is null
        then 'storage account ''' || storage_account_id || ''''
          || case when account_reject_reason is not null
            then ' was quarantined (' || account_reject_reason
              || '), so the share''s billing model, media and redundancy are unknown'
            else ' has no observation in the inventory (add its az storage account list output)' end end,
      case when has_model_source then
        case when billing_model is null then 'billing_model is missing'
          when billing_model not in ('v1', 'v2', 'payg')
          then 'billing_model ''' || trim(billing_model_text) || ''' is not v1, v2 or payg' end
      end,
      case when has_model_source then
        case when media_tier is null then 'media_tier is missing'
          when media_tier not in ('ssd', 'hdd') then 'media_tier ''' || trim(media_tier_text) || ''' is not ssd or hdd' end
      end,
      case when has_model_source then
        case when redundancy is null and given_redundancy is null then 'redundancy is missing'
          when redundancy is null then 'redundancy ''' || trim(redundancy_text) || ''' is not lrs, zrs, grs or gzrs' end
      end,
      case when protocol not in ('smb', 'nfs') then 'protocol ''' || trim(protocol_text) || ''' is not smb or nfs' end,
      case when access_tier not in ('transaction_optimized', 'hot', 'cool', 'premium')
        then 'access_tier ''' || trim(access_tier_text) || ''' is not transaction_optimized, hot, cool or premium' end,
      inv_amount_problem('provisioned_gib', provisioned_gib_text, inv_max_gib()),
      inv_amount_problem('provisioned_iops', provisioned_iops_text, inv_max_gib()),
      inv_amount_problem('provisioned_mibps', provisioned_mibps_text, inv_max_gib()),
      inv_amount_problem('used_bytes', used_bytes_text, inv_max_bytes()),
      inv_amount_problem('snapshot_differential_bytes', snapshot_differential_bytes_text, inv_max_bytes()),
      inv_amount_problem('metadata_bytes', metadata_bytes_text, inv_max_bytes()),
      inv_amount_problem('retention_days', retention_days_text, inv_max_retention_days()),
      inv_amount_problem('remainingRetentionDays', remaining_retention_days_text, inv_max_retention_days()),
      case when is_deleted is null then 'is_deleted ''' || trim(is_deleted_text) || ''' is not true or false' end,
      inv_time_problem('deleted_at', deleted_at_text, deleted_at),
      case when is_deleted and inv_text(deleted_at_text) is null then 'the share is deleted but has no deleted_at' end,
      case when not is_deleted and deleted_at is not null then 'deleted_at is given but the share is not deleted' end,
      case when deleted_at > observed_at
        then 'deleted_at ' || inv_iso(deleted_at) || ' is after observed_at ' || inv_iso(observed_at) end,
      inv_time_problem('nextAllowedQuotaDowngradeTime', quota_downgrade_text, inv_timestamp(quota_downgrade_text)),
      inv_time_problem('nextAllowedProvisionedIopsDowngradeTime', iops_downgrade_text, inv_timestamp(iops_downgrade_text)),
      inv_time_problem('nextAllowedProvisionedBandwidthDowngradeTime', mibps_downgrade_text,
        inv_timestamp(mibps_downgrade_text))
    ]) as reject_reason
  from resolved
),
final as (
  select
    observed_at,
    share_resource_id,
    derived_billing_resource_id as billing_resource_id,
    resource_kind,
    billing_model,
    media_tier,
    redundancy,
    protocol,
    access_tier,
    inv_bigint(provisioned_gib_text) as provisioned_gib,
    inv_bigint(provisioned_iops_text) as provisioned_iops,
    inv_bigint(provisioned_mibps_text) as provisioned_mibps,
    inv_bigint(used_bytes_text) as used_bytes,
    inv_bigint(snapshot_differential_bytes_text) as snapshot_differential_bytes,
    inv_bigint(metadata_bytes_text) as metadata_bytes,
    is_deleted,
    deleted_at,
    -- a rejected record's retention may be anything (3e9 days): only accepted ones are within the bounds checked
    case when reject_reason is null then retention_days::integer end as retention_days,
    source_kind,
    source_file,
    source_line,
    inv_timestamp(quota_downgrade_text) as next_quota_downgrade_at,
    inv_timestamp(iops_downgrade_text) as next_iops_downgrade_at,
    inv_timestamp(mibps_downgrade_text) as next_mibps_downgrade_at,
    file_ord,
    raw_text,
    reject_reason
  from checked
)
select * from final;
