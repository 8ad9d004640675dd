-- diff_finding_comparison: the findings of the compared cells — missing_charge, unexpected_charge,
-- quantity_mismatch, unit_mismatch, unverifiable and wrong_meter (grain: billing_resource_id × meter × usage_date ×
-- kind). Shape shared by every diff_finding_* view: the public finding columns without severity, provisional and
-- finding_id (sql/diff/finding.sql adds them), plus id_part (null: one finding of the kind per cell).
-- Money: |compared delta| × the billed price of the cell (for a missing charge, the resource × meter's price billed
-- elsewhere in the month; null and said so when there is none).
create or replace temp view diff_finding_comparison as
with

-- a month judged as a whole (diff_month_total's verdict) has no daily findings: diff_finding_month reports it
cells as (
  select c.*
  from diff_cell as c
  anti join (select * from diff_month_total where verdict is not null) as m
    using (billing_month, billing_resource_id, meter)
  where c.outcome is not null or c.has_wrong_meter
),

described as (
  select
    *,
    diff_resource_name(billing_resource_id) as resource_name,
    case
      when meter like 'disk.%' then diff_plural(source_count, 'snapshot', 'snapshots')
      when meter like 'payg.%\_ops' escape '\' then 'transaction counts'
      else diff_plural(source_count, 'share', 'shares')
    end as source_text,
    case when unit_kind = 'monthly_units'
      then ', ' || diff_month_name(usage_date) || ' has ' || month_days || ' days'
      else ''
    end as month_text,
    case when repeated_line_count > 0
      then ' (' || diff_plural(repeated_line_count, 'repeated line', 'repeated lines') || ' of '
        || diff_num(repeated_quantity) || ' left out: see duplicate_charge)'
      else ''
    end as repeat_text,
    diff_money(compared_delta_quantity, effective_price) as delta_money
  from cells
),

sentenced as (
  select
    *,
    'Expected ' || diff_num(expected_quantity) || ' ' || meter_unit || ' on ' || usage_date || ' for ' || resource_name
      || ' (' || meter || ', rule ' || rule || ': ' || source_text
      || coalesce(', ' || rule_formula, '') || month_text
      || case when not is_expected_complete then '; some inputs unknown for part of the day, so at least this much'
              else '' end
      || ')' as expected_text,
    case
      when effective_price is null and price_basis is not null
        then ' No price values ' || meter || ' on ' || resource_name || ' (' || price_basis
          || '), so the money at stake is unknown.'
      when effective_price is null
        then ' No price is known for ' || meter || ' on ' || resource_name
          || ' that month (nothing billed on it), so the money at stake is unknown.'
      else ' Δ ' || diff_signed(compared_delta_quantity) || ' ' || meter_unit || ' × ' || diff_num(effective_price)
        || ' ' || coalesce(currency, '') || ' = ' || diff_num(delta_money) || ' ' || coalesce(currency, '')
        || ' at stake' || case when is_price_from_month then ' (the price billed on other days of the month)' else '' end
        || coalesce(' (price on this day: ' || price_basis || ')', '') || '.'
    end as money_text,
    (select diff_unit_convention_sentence(c.sentence, usage_date, month_days)
     from diff_unit_convention as c where c.unit_convention = described.unit_convention) as convention_text,
    case when has_billed then 'Billed ' || diff_num(compared_billed_quantity) || ' ' || meter_unit else 'Nothing billed' end
      || case when has_expected then ', expected ' || diff_num(expected_quantity) else ', nothing expected' end
      || ' on ' || usage_date || ' for ' || resource_name || ' (' || meter || ')' as both_sides_text
  from described
),

comparison_finding as (
  select
    billing_month,
    usage_date,
    billing_resource_id,
    meter,
    outcome as kind,
    null::varchar as id_part,
    compared_billed_quantity as billed_quantity,
    expected_quantity,
    compared_delta_quantity as delta_quantity,
    billed_cost,
    case when outcome = 'unverifiable' and compared_billed_quantity is null then null else delta_money end
      as cost_impact,
    currency,
    case outcome
      when 'quantity_mismatch' then expected_text || '; billed ' || diff_num(compared_billed_quantity) || repeat_text
        || '.' || money_text
      when 'missing_charge' then expected_text || '; '
        || case when has_billed then 'the billed lines net to ' || diff_num(compared_billed_quantity) else 'nothing billed' end
        || '.' || money_text
      when 'unexpected_charge' then 'Billed ' || diff_num(compared_billed_quantity) || ' ' || meter_unit || ' on '
        || usage_date || ' for ' || resource_name || ' (' || meter || ')' || repeat_text
        || ', but the inventory, which covers that whole day, expects nothing on this meter.' || money_text
      when 'unit_mismatch' then expected_text || '; billed ' || diff_num(compared_billed_quantity) || repeat_text
        || '. The billed figure matches the expected ' || diff_num(expected_quantity) || ' ' || meter_unit || ' '
        || convention_text || '.' || money_text
      when 'unverifiable' then
        case unverifiable_reason
          when 'unit_unknown' then 'Billed on ' || meter || ' on ' || usage_date || ' for ' || resource_name
            || ', but a line''s unit of measure could not be converted to ' || meter_unit
            || ', so the quantity cannot be compared.'
          when 'not_recomputed' then 'Billed ' || diff_num(compared_billed_quantity) || ' ' || meter_unit || ' on '
            || usage_date || ' for ' || resource_name || ' (' || meter
            || '): no input recon reads carries this meter''s usage, so the charge can be neither confirmed nor refuted.'
          when 'not_covered' then both_sides_text || ': the inventory observed ' || resource_name || ' for only '
            || covered_seconds // 3600 || ' h ' || covered_seconds % 3600 // 60 || ' min of that day, so the difference'
            || ' can be neither confirmed nor refuted.' || money_text
          when 'charge_quarantined' then expected_text || '; '
            || case when has_billed then 'the ingested lines net to ' || diff_num(compared_billed_quantity)
                    else 'no ingested line bills it' end
            || ', but ' || case when quarantined_line_count = 1
                 then 'a charge line for this resource and day was quarantined ('
                 else quarantined_line_count || ' charge lines for this resource and day were quarantined ('
                   || case when quarantined_line_count > len(quarantined_lines) then 'first: ' else '' end end
            || array_to_string(quarantined_lines, '; ') || '), so what Azure billed that day is not known and the'
            || ' difference can be neither confirmed nor refuted.'
          else both_sides_text || ': some inputs (a size or a tier) were unknown for part of the day, so the expected'
            || ' figure is only a lower bound and the difference can be neither confirmed nor refuted.' || money_text
        end
    end as explanation,
    rule,
    unit_convention,
    unverifiable_reason
  from sentenced
  where outcome is not null and outcome <> 'wrong_meter'
),

wrong_meter_finding as (
  select
    billing_month,
    usage_date,
    billing_resource_id,
    meter,
    'wrong_meter' as kind,
    null::varchar as id_part,
    wrong_meter_quantity as billed_quantity,
    expected_quantity,
    case when outcome = 'wrong_meter' then compared_delta_quantity end as delta_quantity,
    wrong_meter_cost as billed_cost,
    -- nothing is expected on a meter of another model: the whole charge is at stake. On the right key with the
    -- wrong media, redundancy or tier, only the price difference is: at list price (diff_wrong_meter_money.sql).
    case when outcome = 'wrong_meter' then abs(wrong_meter_cost) else list_price_money end as cost_impact,
    currency,
    'Billed ' || diff_num(wrong_meter_quantity) || ' ' || meter_unit || ' on ' || usage_date || ' for ' || resource_name
      || ' on ' || meter || ' as ' || wrong_meter_text || ', which is not what the inventory says '
      || resource_name || ' was that day.'
      || case when outcome = 'wrong_meter'
        then ' Nothing is expected on this meter, so the whole ' || diff_num(abs(wrong_meter_cost)) || ' '
          || coalesce(currency, '') || ' is at stake.'
        when list_price_money is not null
          then ' At list price (Azure retail prices, USD: ' || price_text || ') the difference is '
            || diff_num(list_price_money) || ' USD at stake; the quantity is compared on the meter key as usual.'
        when is_other_currency and is_priced
          then ' Azure retail list prices are in USD and this bill is in ' || coalesce(billing_currency, 'another currency')
            || ', so the money at stake is unknown (list prices are not converted); the quantity is compared on the'
            || ' meter key as usual.'
        else ' The price of the meter that should have been billed is not in the bill nor in the retail price list'
          || ' for this region, so the money at stake is unknown; the quantity is compared on the meter key as usual.'
      end as explanation,
    rule,
    null::varchar as unit_convention,
    null::varchar as unverifiable_reason
  from sentenced
  left join diff_wrong_meter_money using (billing_resource_id, meter, usage_date)
  where has_wrong_meter
),

findings as (
  select * from comparison_finding
  union all
  select * from wrong_meter_finding
),

evidence as (
  -- the intervals behind each finding's expected quantity, share by share, each share's in time order: built for the
  -- findings only (expected_interval keeps them one row each, never as a list per day), their ids derived after
  -- the intervals are narrowed to the findings' cells (expected_interval_source derives them for every row)
  select
    i.billing_resource_id,
    i.meter,
    i.usage_date,
    list(inv_interval_id(i.source_resource_id, i.interval_from) order by i.source_resource_id, i.interval_from)
      as interval_ids
  from expected_interval as i
  join (select distinct billing_resource_id, meter, usage_date from findings) as f
    using (billing_resource_id, meter, usage_date)
  group by all
),

final as (
  select
    f.*,
    json_object(
      'billed_lines', c.billed_evidence,
      'billed_variants', c.variant_texts,
      'billed_quantity_total', c.billed_quantity::varchar,
      'repeated_quantity', c.repeated_quantity::varchar,
      'effective_price', c.effective_price::varchar,
      'is_price_from_month', c.is_price_from_month,
      'source_resource_ids', c.source_resource_ids,
      'interval_ids', ev.interval_ids,
      'quantity_numerator', c.quantity_numerator::varchar,
      'quantity_denominator', c.quantity_denominator::varchar,
      'days_in_month', c.month_days,
      'covered_seconds', c.covered_seconds,
      'is_expected_complete', c.is_expected_complete,
      'unverifiable_reason', f.unverifiable_reason,
      'convention_factor', case when c.unit_convention is not null
        then c.convention_num || '/' || c.convention_den end
    ) as evidence
  from findings as f
  join cells as c using (billing_resource_id, meter, usage_date)
  left join evidence as ev using (billing_resource_id, meter, usage_date)
)

select * exclude (unverifiable_reason) from final
