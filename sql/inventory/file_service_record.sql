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
    normalised_resource_id(item ->> '$.id') as file_service_id,
    inv_boolean(inv_prop(item, 'shareDeleteRetentionPolicy.enabled')) as is_enabled,
    inv_prop(item, 'shareDeleteRetentionPolicy.enabled') as enabled_text,
    inv_prop(item, 'shareDeleteRetentionPolicy.days') as days_text,
    inv_object_problem(item, 'properties') as properties_problem
  from item
),
checked as (
  select
    *,
    regexp_extract(file_service_id, '^(.*/providers/microsoft\.storage/storageaccounts/[^/]+)/fileservices/default$', 1)
      as storage_account_id,
    inv_reasons([
      properties_problem,
      case when inv_text(observed_at_text) is null then 'observed_at is missing'
        else inv_time_problem('observed_at', observed_at_text, observed_at) end,
      case when file_service_id is null or file_service_id = '' then 'file service id is missing'
        when not regexp_full_match(file_service_id,
          '/subscriptions/[^/]+/resourcegroups/[^/]+/providers/microsoft\.storage/storageaccounts/[^/]+/fileservices/default')
        then 'file service id ''' || file_service_id || ''' is not an ARM file service id' end,
      case when inv_text(enabled_text) is null then 'shareDeleteRetentionPolicy.enabled is missing'
        when is_enabled is null
          then 'shareDeleteRetentionPolicy.enabled ''' || trim(enabled_text) || ''' is not true or false' end,
      case when is_enabled then coalesce(
        inv_amount_problem('shareDeleteRetentionPolicy.days', days_text, inv_max_retention_days()),
        case when inv_text(days_text) is null then 'shareDeleteRetentionPolicy.days is missing' end) end
    ]) as reject_reason
  from parsed
),
final as (
  select
    observed_at,
    storage_account_id,
    -- a rejected record's days may be anything (3e9): only accepted ones are within the bounds checked
    case when reject_reason is not null then null when is_enabled then inv_bigint(days_text)::integer else 0 end
      as share_delete_retention_days,
    source_file,
    source_line,
    file_ord,
    raw_text,
    reject_reason
  from checked
)
select * from final;
