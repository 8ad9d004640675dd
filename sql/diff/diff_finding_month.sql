-- diff_finding_month: the month-level findings of diff_month_total (grain: billing_month × billing_resource_id ×
-- meter), usage_date null as contract.md says; the month's daily money findings are left out of
-- diff_finding_comparison instead. Same shape as every diff_finding_* view.
-- Money: a misdated_charge has none (the month is billed right); a month difference is |billed − expected over the
-- month| × the price of the month's largest billed line (null and said so when nothing is priced).
create or replace temp view diff_finding_month as
with

months as (
  select * from diff_month_total
  where verdict is not null and verdict <> 'match'
),

described as (
  select
    *,
    diff_resource_name(billing_resource_id) as resource_name,
    strftime(strptime(billing_month || '-01', '%Y-%m-%d'), '%B %Y') as month_text,
    diff_money(delta_quantity, effective_price) as delta_money
  from months
),

sentenced as (
  select
    *,
    'In ' || month_text || ', billed ' || diff_num(billed_quantity) || ' ' || meter_unit || ' for ' || resource_name
      || ' (' || meter || '), expected ' || diff_num(expected_quantity) || ' over the month (rule '
      || coalesce(rule, 'unknown') || coalesce(': ' || rule_formula, '') || ', ' || expected_day_count
      || ' days of usage)' as totals_text,
    case
      when is_month_grain then ', billed for the whole month in one row (a monthly-granularity export), so the'
        || ' month is compared as a whole.'
      else ', billed more on ' || diff_day_list(days_billed_more) || ' and less on ' || diff_day_list(days_billed_less)
        || ' than the usage of those days.'
    end as days_text,
    case
      when effective_price is null
        then ' No price is known for ' || meter || ' on ' || resource_name || ' that month, so the money at stake is'
          || ' unknown.'
      else ' Δ ' || diff_signed(delta_quantity) || ' ' || meter_unit || ' × ' || diff_num(effective_price) || ' '
        || coalesce(currency, '') || ' = ' || diff_num(delta_money) || ' ' || coalesce(currency, '')
        || ' at stake over the month.'
    end as money_text
  from described
),

final as (
  select
    billing_month,
    null::date as usage_date,
    billing_resource_id,
    meter,
    verdict as kind,
    null::varchar as id_part,
    billed_quantity,
    expected_quantity,
    delta_quantity,
    billed_cost,
    case when verdict = 'misdated_charge' then 0::decimal(38, 18) else delta_money end as cost_impact,
    currency,
    case
      when verdict = 'misdated_charge' then totals_text || days_text
        || ' The month''s total is right, so there is no money at stake: the charge is billed on other days than'
        || ' the usage (a restated or moved charge), not missing or billed twice.'
      when verdict = 'unverifiable' then totals_text || days_text || ' But the inventory does not vouch for '
        || diff_plural(unverifiable_day_count, 'day', 'days') || ' of it (not observed the whole day, a size unknown,'
        || ' or a charge row quarantined), so the difference can be neither confirmed nor refuted.' || money_text
      when is_month_grain then totals_text || days_text || money_text
      else totals_text || days_text || ' Part of that is a charge on another day, so only the month''s difference'
        || ' is at stake, not each day''s.' || money_text
    end as explanation,
    rule,
    null::varchar as unit_convention,
    json_object(
      'month_level', true,
      'is_month_grain', is_month_grain,
      'days_billed_more', days_billed_more,
      'days_billed_less', days_billed_less,
      'expected_day_count', expected_day_count,
      'unverifiable_day_count', unverifiable_day_count,
      'effective_price', effective_price::varchar,
      'billed_lines', billed_evidence
    ) as evidence
  from sentenced
)

select * from final
