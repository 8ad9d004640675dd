-- disk_snapshot_record — grain: source_file × source_line. Every managed-disk snapshot record of this run, typed:
-- canonical disk_snapshot.csv rows and az snapshot list/show items (Microsoft.Compute/snapshots). ARM gives no
-- used size (diskSizeBytes is the source disk's size), so JSON snapshots have used_bytes NULL (unknown). Only
-- incremental snapshots are billed on the incremental-snapshot meter; a full snapshot is rejected with a reason.
with
csv_snapshot as (
  select
    'csv' as source_kind,
    source_file,
    file_ord,
    source_line,
    raw_text,
    observed_at as observed_at_text,
    snapshot_resource_id as snapshot_id_text,
    source_disk_id as source_disk_id_text,
    redundancy as redundancy_text,
    null::varchar as sku_name,
    used_bytes as used_bytes_text,
    null::varchar as disk_size_bytes_text,
    created_at as created_at_text,
    deleted_at as deleted_at_text,
    'true' as incremental_text,
    null::varchar as properties_problem,
    null::varchar as sku_problem
  from inventory_stage_disk_snapshot_csv
),
json_snapshot as (
  select
    'az_snapshot' as source_kind,
    source_file,
    file_ord,
    item_index as source_line,
    item::varchar as raw_text,
    observed_at_text,
    item ->> '$.id' as snapshot_id_text,
    inv_prop(item, 'creationData.sourceResourceId') as source_disk_id_text,
    -- Standard_LRS / Premium_LRS → lrs, Standard_ZRS → zrs (incremental snapshots always sit on standard storage)
    split_part(item ->> '$.sku.name', '_', 2) as redundancy_text,
    item ->> '$.sku.name' as sku_name,
    null::varchar as used_bytes_text,
    inv_prop(item, 'diskSizeBytes') as disk_size_bytes_text,
    inv_prop(item, 'timeCreated') as created_at_text,
    null::varchar as deleted_at_text,
    coalesce(inv_prop(item, 'incremental'), 'false') as incremental_text,
    inv_object_problem(item, 'properties') as properties_problem,
    inv_object_problem(item, 'sku') as sku_problem
  from inventory_stage_json_item
  where item_kind = 'disk_snapshot'
),
snapshot_text as (
  select * from csv_snapshot
  union all by name
  select * from json_snapshot
),
parsed as (
  select
    *,
    inv_timestamp(observed_at_text) as observed_at,
    normalised_resource_id(snapshot_id_text) as snapshot_resource_id,
    normalised_resource_id(source_disk_id_text) as source_disk_id,
    lower(trim(redundancy_text)) as redundancy,
    inv_timestamp(created_at_text) as created_at,
    inv_timestamp(deleted_at_text) as deleted_at,
    inv_boolean(incremental_text) as is_incremental
  from snapshot_text
),
checked as (
  select
    *,
    inv_reasons([
      properties_problem,
      case when inv_text(observed_at_text) is null then 'observed_at is missing'
        else inv_time_problem('observed_at', observed_at_text, observed_at) end,
      case when snapshot_resource_id is null or snapshot_resource_id = '' then 'snapshot id is missing'
        when not regexp_full_match(snapshot_resource_id,
          '/subscriptions/[^/]+/resourcegroups/[^/]+/providers/microsoft\.compute/snapshots/[^/]+')
        then 'snapshot id ''' || snapshot_resource_id || ''' is not an ARM disk snapshot id' end,
      case when sku_problem is not null then sku_problem
        when source_kind = 'az_snapshot' and sku_name is null then 'sku.name is missing'
        when source_kind = 'az_snapshot' and lower(sku_name) not in ('standard_lrs', 'premium_lrs', 'standard_zrs')
          then 'unknown snapshot SKU ''' || sku_name || ''''
        when redundancy is null or redundancy = '' then 'redundancy is missing'
        when redundancy not in ('lrs', 'zrs') then 'redundancy ''' || trim(redundancy_text) || ''' is not lrs or zrs' end,
      case when is_incremental is null then 'incremental ''' || trim(incremental_text) || ''' is not true or false'
        when not is_incremental then 'full (not incremental) snapshot: only incremental snapshots are reconciled' end,
      inv_amount_problem('used_bytes', used_bytes_text, inv_max_bytes()),
      inv_amount_problem('diskSizeBytes', disk_size_bytes_text, inv_max_bytes()),
      inv_time_problem('created_at', created_at_text, created_at),
      inv_time_problem('deleted_at', deleted_at_text, deleted_at),
      case when deleted_at < created_at
        then 'deleted_at ' || inv_iso(deleted_at) || ' is before created_at ' || inv_iso(created_at) end
    ]) as reject_reason
  from parsed
),
final as (
  select
    observed_at,
    snapshot_resource_id,
    source_disk_id,
    redundancy,
    inv_bigint(used_bytes_text) as used_bytes,
    created_at,
    deleted_at,
    source_kind,
    source_file,
    source_line,
    inv_bigint(disk_size_bytes_text) as disk_size_bytes,
    file_ord,
    raw_text,
    reject_reason
  from checked
)
select * from final;
