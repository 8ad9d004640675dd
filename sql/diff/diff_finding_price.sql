-- diff_finding_price: price_mismatch findings — lines whose cost is not quantity × effective price beyond
-- rounding (price_check) (grain: billing_resource_id × meter × usage_date, and the meter name when unmapped).
-- Money at stake: the sum of |cost − quantity × price| over the lines.
create or replace temp view diff_finding_price as
with

mismatches as (
  select c.*
  from price_check_of('diff_line') as c
  where c.is_price_mismatch
),

grouped as (
  select
    billing_month,
    usage_date,
    billing_resource_id,
    meter_key as meter,
    case when meter_key is null then meter_name end as id_part,
    count(*) as line_count,
    sum(cost_billing_currency::decimal(38, 18)) as billed_cost,
    sum(expected_cost_billing_currency::decimal(38, 18)) as expected_cost,
    sum(abs_cost_difference_billing_currency::decimal(38, 18)) as cost_difference,
    min(billing_currency) as currency,
    string_agg(distinct meter_name, ', ' order by meter_name) as meter_names,
    string_agg(distinct price_pair, ', ' order by price_pair) as price_pairs,
    list(
      source_file || ':' || source_line || ' ' || quantity::decimal(38, 18) || ' × ' || effective_price::decimal(38, 18)
        || ' ≠ ' || cost_billing_currency::decimal(38, 18) || ' (' || price_pair || ')'
      -- a FOCUS line mispriced in both pairs is listed twice: price_pair orders them, or their order would vary
      order by source_file, source_line, price_pair
    ) as lines
  from mismatches
  group by billing_month, usage_date, billing_resource_id, meter_key, case when meter_key is null then meter_name end
),

final as (
  select
    billing_month,
    usage_date,
    billing_resource_id,
    meter,
    'price_mismatch' as kind,
    id_part,
    null::decimal(38, 18) as billed_quantity,
    null::decimal(38, 18) as expected_quantity,
    null::decimal(38, 18) as delta_quantity,
    billed_cost,
    cost_difference as cost_impact,
    currency,
    diff_plural(line_count, 'line', 'lines') || ' on ' || usage_date || ' for ' || diff_resource_name(billing_resource_id)
      || ' (' || coalesce(meter, 'meter ''' || meter_names || '''') || ') cost ' || diff_num(billed_cost) || ' '
      || coalesce(currency, '') || ' where quantity × price gives ' || diff_num(expected_cost) || ' (' || price_pairs
      || '): ' || diff_num(cost_difference) || ' ' || coalesce(currency, '') || ' at stake.' as explanation,
    'price_check' as rule,
    null::varchar as unit_convention,
    json_object('lines', lines, 'meter_names', meter_names, 'expected_cost', expected_cost::varchar) as evidence
  from grouped
)

select * from final
