-- audit_expected_key: keys of the scope's slice of expected_share_usage (source_resource_id × meter × usage_date) and
-- expected_usage (billing_resource_id × meter × usage_date) held by more than one row (grain of the audit: table ×
-- key). The tables have no primary key (sql/schema/003_recompute_tables_without_keys.sql): their rules group by the
-- grain, and any row here stops the recompute before it commits. A repeated share key would otherwise be summed
-- into its billed resource's expected usage twice, unseen.
with

keyed as (
  select 'expected_share_usage' as relation, source_resource_id as resource_id, billing_resource_id, meter, usage_date
  from expected_share_usage
  union all
  select 'expected_usage' as relation, billing_resource_id as resource_id, billing_resource_id, meter, usage_date
  from expected_usage
),

final as (
  select relation, resource_id, meter, usage_date, count(*) as row_count
  from keyed
  where in_scope_usage_day(usage_date) and in_scope_resource(billing_resource_id)
  group by relation, resource_id, meter, usage_date
  having count(*) > 1
)

select * from final
order by relation, resource_id, meter, usage_date
