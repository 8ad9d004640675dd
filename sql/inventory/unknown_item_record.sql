-- unknown_item_record — grain: source_file × source_line. JSON items that are none of the resources recon reads
-- (storage accounts, file services, classic shares, FileShares, disk snapshots): quarantined, never dropped.
with
item as (
  select * from inventory_stage_json_item where item_kind = 'unknown'
),
final as (
  select
    source_file,
    item_index as source_line,
    file_ord,
    item::varchar as raw_text,
    case
      when json_type(item) <> 'OBJECT' then 'item is a JSON ' || inv_json_kind(item) || ', not an object'
      -- az rest / a collection script saved Azure's error body instead of the resources
      when (item ->> '$.type') is null and json_type(item, '$.error') = 'OBJECT'
        then 'the item is an Azure error response (' || coalesce(item ->> '$.error.code', 'no code') || ': '
          || coalesce(item ->> '$.error.message', 'no message') || '), not a resource'
      when (item ->> '$.type') is not null then 'unrecognised item type ''' || (item ->> '$.type')
        || ''' (expected storage accounts, file services, file shares or disk snapshots)'
      else 'item has no type and its id ''' || coalesce(item ->> '$.id', '')
        || ''' is not a storage account, file service, file share or disk snapshot id'
    end as reject_reason
  from item
)
select * from final;
