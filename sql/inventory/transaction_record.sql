-- transaction_record — grain: source_file × source_line. Every transactions.csv row of this run, typed, with its
-- bucket from the transaction category table (inventory_api_bucket). A repeated (billing_resource_id, hour,
-- api_name) is rejected after its first row: summing or picking one would both be guesses.
with
row_text as (
  select * from inventory_stage_transaction_csv
),
parsed as (
  select
    *,
    inv_timestamp(hour) as usage_hour,
    normalised_resource_id(billing_resource_id) as resource_id,
    trim(api_name) as api,
    inv_bigint(count) as transaction_count
  from row_text
),
-- keys given more than once (rare), counted first: a group per key with a string state (the first occurrence) for
-- every key did not fit --memory-limit 1GB at 10.9M rows (an hourly month of 200,000 shares' accounts), a count does
repeated_key as (
  select resource_id, usage_hour, lower(api) as api_key
  from parsed
  group by all
  having count(*) > 1
),
-- only the rows of a repeated key need the first occurrence
repeated as (
  select
    parsed.resource_id,
    parsed.usage_hour,
    lower(parsed.api) as api_key,
    arg_min(parsed.source_file || ' line ' || parsed.source_line, (parsed.file_ord, parsed.source_line))
      as first_occurrence,
    min((parsed.file_ord, parsed.source_line)) as first_order
  from parsed
  semi join repeated_key as k
    on k.resource_id = parsed.resource_id and k.usage_hour = parsed.usage_hour and k.api_key = lower(parsed.api)
  group by all
),
bucketed as (
  select
    parsed.*,
    api_bucket.bucket,
    api_bucket.canonical_name,
    repeated.first_occurrence,
    repeated.first_order is not null and (parsed.file_ord, parsed.source_line) > repeated.first_order as is_repeat
  from parsed
  left join inventory_api_bucket as api_bucket on api_bucket.api_name = lower(parsed.api)
  left join repeated
    on repeated.resource_id = parsed.resource_id
    and repeated.usage_hour = parsed.usage_hour
    and repeated.api_key = lower(parsed.api)
),
checked as (
  select
    *,
    inv_reasons([
      case when inv_text(hour) is null then 'hour is missing'
        when inv_time_problem('hour', hour, usage_hour) is not null then inv_time_problem('hour', hour, usage_hour)
        when date_trunc('hour', usage_hour) <> usage_hour then 'hour ''' || trim(hour) || ''' is not the start of an hour' end,
      case when resource_id is null or resource_id = '' then 'billing_resource_id is missing'
        when not regexp_full_match(resource_id,
          '/subscriptions/[^/]+/resourcegroups/[^/]+/providers/microsoft\.storage/storageaccounts/[^/]+')
        then 'billing_resource_id ''' || resource_id || ''' is not a storage account id' end,
      case when api is null or api = '' then 'api_name is missing'
        when bucket is null then 'unknown API name ''' || api || ''' (not in the transaction category table)' end,
      case when inv_text(count) is null then 'count is missing'
        else inv_amount_problem('count', count, inv_max_transactions()) end,
      case when is_repeat
        then 'duplicate of ' || first_occurrence || ' (same billing_resource_id, hour and api_name)' end
    ]) as reject_reason
  from bucketed
),
final as (
  select
    usage_hour,
    resource_id as billing_resource_id,
    coalesce(canonical_name, api) as api_name,
    bucket,
    transaction_count,
    source_file,
    source_line,
    raw_text,
    reject_reason
  from checked
)
select * from final;
