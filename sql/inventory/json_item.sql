-- json_item — grain: item_index. The items of the JSON file $read_path: the elements of a top-level array, of a
-- wrapper's value[] (ARM list bodies) or items[], or the document itself (az … show). $container says which
-- (array | value | items | single); src/inventory/json.ts decided it from json_document.sql. Each item is
-- classified by its ARM type (or, without one, by the shape of its id).
with
source as (
  select ltrim(content, chr(65279))::json as doc from read_text($read_path)
),
container as (
  select
    case $container
      when 'array' then doc
      when 'value' then doc -> '$.value'
      when 'items' then doc -> '$.items'
      else json_array(doc)
    end as items_json
  from source
),
items as (
  select json_extract(items_json, '$[*]') as items from container
),
unnested as (
  select unnest(items) as item, generate_subscripts(items, 1) as item_index from items
),
typed as (
  select
    item,
    item_index,
    json_type(item) = 'OBJECT' as is_object,
    lower(item ->> '$.type') as item_type,
    lower(item ->> '$.id') as item_id
  from unnested
),
final as (
  select
    item_index::bigint as item_index,
    item,
    case
      when not is_object then 'unknown'
      when item_type = 'microsoft.storage/storageaccounts' then 'storage_account'
      when item_type = 'microsoft.storage/storageaccounts/fileservices' then 'file_service'
      when item_type = 'microsoft.storage/storageaccounts/fileservices/shares' then 'classic_share'
      when item_type = 'microsoft.fileshares/fileshares' then 'fileshare'
      when item_type = 'microsoft.compute/snapshots' then 'disk_snapshot'
      when item_type is not null then 'unknown'
      -- no type given: the id's shape says what it is
      when regexp_matches(item_id, '/providers/microsoft\.storage/storageaccounts/[^/]+/fileservices/default/shares/[^/]+$') then 'classic_share'
      when regexp_matches(item_id, '/providers/microsoft\.storage/storageaccounts/[^/]+/fileservices/default$') then 'file_service'
      when regexp_matches(item_id, '/providers/microsoft\.storage/storageaccounts/[^/]+$') then 'storage_account'
      when regexp_matches(item_id, '/providers/microsoft\.fileshares/fileshares/[^/]+$') then 'fileshare'
      when regexp_matches(item_id, '/providers/microsoft\.compute/snapshots/[^/]+$') then 'disk_snapshot'
      else 'unknown'
    end as item_kind
  from typed
)
select * from final;
