-- expected_share_usage — grain: source_resource_id × meter × usage_date.
-- Replaces the scope's slice (usage days in the window × billed resources matching the prefixes) with what every
-- share, disk snapshot and account's transaction counts should have put on each meter per UTC day. One exact
-- division per row (exact_quotient_38_20); the numerator and denominator stay beside the rounded quantity.
delete from expected_share_usage
where in_scope_usage_day(usage_date) and in_scope_resource(billing_resource_id);

insert into expected_share_usage by name
with
day_usage as (
  select * from recompute_share_usage
  -- recompute_parameter.bucket is one day here
),
final as (
  select
    source_kind,
    source_resource_id,
    billing_resource_id,
    meter,
    bucket_start::date as usage_date,
    billing_month,
    rule,
    exact_quotient_38_20(quantity_numerator, quantity_denominator) as quantity,
    quantity_numerator,
    quantity_denominator,
    numerator_unit,
    days_in_month,
    covered_seconds,
    unknown_seconds,
    unknown_seconds = 0 as is_complete,
    is_open_ended,
    horizon
  from day_usage
  where quantity_numerator > 0 or unknown_seconds > 0
)
select * from final;
