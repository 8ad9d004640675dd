-- file_service_record — grain: source_file × source_line. Every file-service item of this run (az storage account
-- file-service-properties show, or ARM GET fileServices/default), typed. Its shareDeleteRetentionPolicy gives the
-- retention a deleted share of the account falls back to (0 when soft delete is off).
with
item as (
  select * from inventory_stage_json_item where item_kind = 'file_service'
),
parsed as (
  select
    source_file,
    file_ord,
    item_index as source_line,
    item::varchar as raw_text,
    observed_at_text,
    inv_timestamp(observed_at_text) as observed_at,
    lower(trim(item ->> '$.id')) as file_service_id,
    inv_boolean(inv_prop(item, 'shareDeleteRetentionPolicy.enabled')) as is_enabled,
    inv_prop(item, 'shareDeleteRetentionPolicy.days') as days_text
  from item
),
checked as (
  select
    *,
    regexp_extract(file_service_id, '^(.*/providers/microsoft\.storage/storageaccounts/[^/]+)/fileservices/default$', 1)
      as storage_account_id,
    inv_reasons([
      case when observed_at is null then 'observed_at ''' || observed_at_text || ''' is not an ISO-8601 timestamp' end,
      case when file_service_id is null or not regexp_full_match(file_service_id,
          '/subscriptions/[^/]+/resourcegroups/[^/]+/providers/microsoft\.storage/storageaccounts/[^/]+/fileservices/default')
        then 'file service id ''' || coalesce(file_service_id, '') || ''' is not an ARM file service id' end,
      case when is_enabled is null then 'shareDeleteRetentionPolicy.enabled is missing' end,
      case when is_enabled then coalesce(
        inv_count_problem('shareDeleteRetentionPolicy.days', days_text),
        case when inv_text(days_text) is null then 'shareDeleteRetentionPolicy.days is missing' end) end
    ]) as reject_reason
  from parsed
),
final as (
  select
    observed_at,
    storage_account_id,
    case when is_enabled then inv_bigint(days_text)::integer else 0 end as share_delete_retention_days,
    source_file,
    source_line,
    file_ord,
    raw_text,
    reject_reason
  from checked
)
select * from final;
