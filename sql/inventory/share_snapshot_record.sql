-- share_snapshot_record — grain: source_file × source_line. Share snapshots listed by az storage share-rm list
-- --include-snapshot ($expand=snapshots): the base share's id and name plus snapshotTime.
with
item as (
  select * from inventory_stage_json_item
  where item_kind = 'classic_share' and inv_text(inv_prop(item, 'snapshotTime')) is not null
),
parsed as (
  select
    case when (item -> '$.properties') is not null then 'arm_share' else 'az_share_rm' end as source_kind,
    source_file,
    file_ord,
    item_index as source_line,
    item::varchar as raw_text,
    observed_at_text,
    inv_timestamp(observed_at_text) as observed_at,
    normalised_resource_id(item ->> '$.id') as share_resource_id,
    inv_prop(item, 'snapshotTime') as snapshot_time_text,
    inv_object_problem(item, 'properties') as properties_problem
  from item
),
checked as (
  select
    *,
    inv_reasons([
      properties_problem,
      case when inv_text(observed_at_text) is null then 'observed_at is missing'
        else inv_time_problem('observed_at', observed_at_text, observed_at) end,
      case when share_resource_id is null or not regexp_full_match(share_resource_id,
          '/subscriptions/[^/]+/resourcegroups/[^/]+/providers/microsoft\.storage/storageaccounts/[^/]+/fileservices/default/shares/[^/]+')
        then 'share id ''' || coalesce(share_resource_id, '') || ''' is not an ARM file share id' end,
      inv_time_problem('snapshotTime', snapshot_time_text, inv_timestamp(snapshot_time_text))
    ]) as reject_reason
  from parsed
),
final as (
  select
    observed_at,
    share_resource_id,
    inv_timestamp(snapshot_time_text) as snapshot_time,
    source_kind,
    source_file,
    source_line,
    file_ord,
    raw_text,
    reject_reason
  from checked
)
select * from final;
