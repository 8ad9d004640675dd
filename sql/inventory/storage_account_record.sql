-- storage_account_record — grain: source_file × source_line. Every storage-account item of this run (az storage
-- account list, or ARM GET storageAccounts), typed; reject_reason names every problem of a bad one.
with
item as (
  select * from inventory_stage_json_item where item_kind = 'storage_account'
),
parsed as (
  select
    source_file,
    file_ord,
    item_index as source_line,
    item::varchar as raw_text,
    observed_at_text,
    inv_timestamp(observed_at_text) as observed_at,
    normalised_resource_id(item ->> '$.id') as storage_account_id,
    item ->> '$.sku.name' as sku_name,
    item ->> '$.kind' as kind,
    lower(item ->> '$.location') as location,
    inv_object_problem(item, 'properties') as properties_problem,
    inv_object_problem(item, 'sku') as sku_problem
  from item
),
checked as (
  select
    *,
    inv_reasons([
      properties_problem,
      case when inv_text(observed_at_text) is null then 'observed_at is missing'
        else inv_time_problem('observed_at', observed_at_text, observed_at) end,
      case when storage_account_id is null then 'storage account id is missing'
        when not regexp_full_match(storage_account_id,
          '/subscriptions/[^/]+/resourcegroups/[^/]+/providers/microsoft\.storage/storageaccounts/[^/]+')
        then 'storage account id ''' || storage_account_id || ''' is not an ARM storage account id' end,
      case when sku_problem is not null then sku_problem
        when sku_name is null then 'sku.name is missing'
        when inv_sku_billing_model(sku_name) is null then 'unknown storage account SKU ''' || sku_name || '''' end
    ]) as reject_reason
  from parsed
),
file_service as (
  select * from file_service_observation
),
-- the account's share soft-delete retention: its nearest file-service observation
with_retention as (
  select
    checked.*,
    file_service.share_delete_retention_days
  from checked
  left join file_service on file_service.storage_account_id = checked.storage_account_id
  qualify row_number() over (
    partition by checked.source_file, checked.source_line
    order by abs(epoch_ms(file_service.observed_at) - epoch_ms(checked.observed_at)), file_service.observed_at
  ) = 1
),
final as (
  select
    observed_at,
    storage_account_id,
    sku_name,
    kind,
    location,
    inv_sku_billing_model(sku_name) as billing_model,
    inv_sku_media_tier(sku_name) as media_tier,
    inv_sku_redundancy(sku_name) as redundancy,
    share_delete_retention_days,
    source_file,
    source_line,
    file_ord,
    raw_text,
    reject_reason
  from with_retention
)
select * from final;
