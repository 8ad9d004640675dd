-- json_document — grain: one row for the JSON file $read_path. What src/inventory/json.ts needs to decide how to read
-- it: whether it is JSON at all, its top-level type, the wrapper's observedAt, and where the items are.
with
source as (
  -- a UTF-8 byte order mark is legal in a saved file but not in JSON text
  select ltrim(content, chr(65279)) as content from read_text($read_path)
),
checked as (
  select content, json_valid(content) as is_valid from source
),
document as (
  select
    is_valid,
    case when is_valid then content::json end as doc
  from checked
),
final as (
  select
    is_valid,
    json_type(doc) as document_type,
    inv_json_kind(doc) as document_kind,
    coalesce(doc ->> '$.observedAt', doc ->> '$.observed_at') as observed_at_text,
    json_type(doc -> '$.value') as value_type,
    json_type(doc -> '$.items') as items_type
  from document
)
select * from final;
