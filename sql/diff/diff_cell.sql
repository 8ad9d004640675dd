-- diff_cell: billed against expected usage, classified (grain: billing_resource_id × meter × usage_date).
-- The diff's one full outer join. Billed usage is summed over its attribute variants (model, media, redundancy,
-- tier) and currency; expected usage is recompute's expected_usage. Everything is DECIMAL; nothing is compared in JS.
-- Scope: diff_parameter (month, days, resource prefixes) and the days the month's current deliveries bill
-- (diff_month) — expected usage after a month-to-date export's last day is not billable yet.
-- outcome: the comparison finding of the cell (null: none) —
--   unverifiable   the billed unit could not be normalised; or the meter is not recomputed (data retrieval,
--                  geo-replication); or, on a day the inventory does not fully cover or whose expected row is
--                  incomplete, the two sides disagree. Never unexpected_charge there.
--   wrong_meter    billed on a meter key of another model than the inventory's, with nothing expected on it
--                  Or less is billed than expected on a day a quarantined charge row names (charge_quarantined).
-- Besides the outcome, a billed variant is on the wrong meter (has_wrong_meter) when an attribute its line states
-- (model, media, redundancy, tier) is not what the inventory says; an attribute the line does not state is never
-- compared. The access tier belongs to each share, so the tier is also checked per share: where every billed
-- variant of a cell states its tier and every share's tier that day is known, a tier billed more than its shares
-- expect while another tier is billed less is on the wrong meter (hot data billed on the cool meter of an account
-- that also has cool shares).
--   missing_charge / unexpected_charge / unit_mismatch / quantity_mismatch on covered days
-- Lines repeated within a delivery (duplicate_billed_line) are taken out of the compared quantity: they are
-- reported once, as duplicate_charge, not again as a mismatch.
create or replace temp table diff_cell as
with

parameter as (
  select * from diff_parameter
),

months as (
  select * from diff_month
),

billed_variant as (
  select b.*
  from billed_usage as b
  cross join parameter as p
  join months as m using (billing_month)
  where in_scope_row(b.billing_month, b.usage_date, b.billing_resource_id)
),

expected as (
  select e.*
  from expected_usage as e
  cross join parameter as p
  join months as m using (billing_month)
  where in_scope_row(e.billing_month, e.usage_date, e.billing_resource_id)
    and e.usage_date between m.first_billed_date and m.last_billed_date
),

-- Charge rows the ingest quarantined in a current delivery, per resource and day they still name
-- (sql/ingest/quarantine.sql): on those days what Azure billed is not known, so a shortfall is unverifiable, never
-- a missing charge "with nothing billed". The meter of a quarantined row is not known (its row did not convert),
-- so every meter of that resource and day is affected.
quarantined_charge as (
  select
    q.billing_resource_id,
    q.usage_date,
    count(*) as quarantined_line_count,
    list(q.source_file || ':' || q.source_line || ': ' || q.reason order by q.source_file, q.source_line)[1:3]
      as quarantined_lines
  from quarantine as q
  join months as m on list_contains(m.delivery_ids, q.delivery_id)
  where q.stage = 'ingest' and q.is_files_or_snapshot and q.billing_resource_id is not null
    and q.usage_date is not null
  group by all
),

-- What the inventory says each billed resource was on each billed day: shares (classic accounts share model,
-- media and redundancy; the tier is per share) and disk snapshots. Redundancy on both sides is read by the one
-- parser, inv_redundancy (sql/schema/003_inventory.sql): RA-GRS / RA-GZRS meters bill GRS / GZRS shares.
inventory_interval as (
  select
    billing_resource_id,
    valid_from,
    coalesce(valid_to, covered_to, 'infinity'::timestamp) as valid_until,
    billing_model as model,
    media_tier as media,
    inv_redundancy(redundancy) as redundancy,
    access_tier
  from share_interval
  union all
  select
    snapshot_resource_id,
    valid_from,
    coalesce(valid_to, covered_to, 'infinity'::timestamp),
    'disk',
    null,
    inv_redundancy(redundancy),
    null
  from disk_snapshot_interval
),

billed_day as (
  select distinct billing_resource_id, usage_date from billed_variant
),

inventory_attribute as (
  select
    d.billing_resource_id,
    d.usage_date,
    list(distinct i.model order by i.model) as models,
    list(distinct i.media order by i.media) filter (where i.media is not null) as media_tiers,
    list(distinct i.redundancy order by i.redundancy) filter (where i.redundancy is not null) as redundancies,
    list(distinct i.access_tier order by i.access_tier) filter (where i.model = 'payg' and i.access_tier is not null)
      as access_tiers,
    bool_or(i.model = 'payg' and i.access_tier is null) as has_unknown_tier
  from billed_day as d
  join inventory_interval as i
    on i.billing_resource_id = d.billing_resource_id
    and i.valid_from < d.usage_date + interval 1 day
    and i.valid_until > d.usage_date
  group by d.billing_resource_id, d.usage_date
),

-- The tier of each pay-as-you-go share on each billed day: known when one tier held all the share's intervals of
-- that day.
share_day_tier as (
  select
    i.share_resource_id,
    d.usage_date,
    min(i.access_tier) as access_tier,
    count(distinct i.access_tier) = 1 and bool_and(i.access_tier is not null) as is_tier_known
  from billed_day as d
  join share_interval as i
    on i.billing_resource_id = d.billing_resource_id
    and i.billing_model = 'payg'
    and i.valid_from < d.usage_date + interval 1 day
    and coalesce(i.valid_to, i.covered_to, 'infinity'::timestamp) > d.usage_date
  group by i.share_resource_id, d.usage_date
),

-- Expected usage per tier, from the shares (transaction counts are per account and have no tier).
expected_tier as (
  select
    e.billing_resource_id,
    e.meter,
    e.usage_date,
    t.access_tier,
    sum(e.quantity::decimal(38, 18)) as expected_quantity,
    bool_and(t.is_tier_known and e.is_complete) as is_known
  from expected_share_usage as e
  join share_day_tier as t
    on t.share_resource_id = e.source_resource_id
    and t.usage_date = e.usage_date
  where e.source_kind = 'share'
  group by e.billing_resource_id, e.meter, e.usage_date, t.access_tier
),

billed_tier as (
  select
    billing_resource_id,
    meter_key as meter,
    usage_date,
    access_tier,
    sum(quantity_meter_unit::decimal(38, 18)) as billed_quantity
  from billed_variant
  where model = 'payg'
  group by billing_resource_id, meter_key, usage_date, access_tier
),

-- A cell is checked per tier only when every billed variant states its tier and every share's tier is known.
tier_balance as (
  select
    coalesce(b.billing_resource_id, e.billing_resource_id) as billing_resource_id,
    coalesce(b.meter, e.meter) as meter,
    coalesce(b.usage_date, e.usage_date) as usage_date,
    coalesce(b.access_tier, e.access_tier) as access_tier,
    b.access_tier is null and b.billing_resource_id is not null as is_billed_untiered,
    b.billing_resource_id is not null and b.billed_quantity is null as is_billed_unknown,
    coalesce(e.is_known, true) as is_expected_known,
    coalesce(b.billed_quantity, 0) as billed_quantity,
    coalesce(e.expected_quantity, 0) as expected_quantity
  from billed_tier as b
  full outer join (
    -- only cells something is billed on: the rest is the main join's missing_charge
    select * from expected_tier as x
    where exists (
      select 1 from billed_tier as y
      where y.billing_resource_id = x.billing_resource_id and y.meter = x.meter and y.usage_date = x.usage_date
    )
  ) as e
    on e.billing_resource_id = b.billing_resource_id
    and e.meter = b.meter
    and e.usage_date = b.usage_date
    and e.access_tier = b.access_tier
),

tier_checked as (
  select
    t.*,
    not diff_is_within(t.billed_quantity, t.expected_quantity, p.tolerance_quantity, p.tolerance_ratio) as is_off,
    t.billed_quantity > t.expected_quantity as is_excess
  from tier_balance as t
  cross join parameter as p
),

tier_cell as (
  select
    billing_resource_id,
    meter,
    usage_date,
    bool_and(not is_billed_untiered and not is_billed_unknown and is_expected_known) as is_checkable,
    bool_or(is_off and not is_excess) as has_shortfall,
    list(access_tier order by access_tier) filter (where is_off and not is_excess) as shortfall_tiers,
    string_agg(access_tier || ' ' || diff_num(billed_quantity) || ' billed, ' || diff_num(expected_quantity)
      || ' expected', '; ' order by access_tier) as tier_text
  from tier_checked
  group by billing_resource_id, meter, usage_date
),

tier_excess as (
  select t.billing_resource_id, t.meter, t.usage_date, t.access_tier, c.tier_text, c.shortfall_tiers,
    t.billed_quantity - t.expected_quantity as excess_quantity
  from tier_checked as t
  join tier_cell as c using (billing_resource_id, meter, usage_date)
  where c.is_checkable and c.has_shortfall and t.is_off and t.is_excess
),

billed_variant_checked as (
  select
    v.*,
    a.models,
    a.media_tiers,
    a.redundancies,
    a.access_tiers,
    coalesce(not list_contains(a.models, v.model), false) as is_wrong_model,
    coalesce(v.model <> 'disk' and v.media is not null and not list_contains(a.media_tiers, v.media), false) as is_wrong_media,
    coalesce(v.redundancy is not null and not list_contains(a.redundancies, inv_redundancy(v.redundancy)), false) as is_wrong_redundancy,
    coalesce(
      v.model = 'payg' and v.access_tier is not null and not a.has_unknown_tier and len(a.access_tiers) > 0
        and not list_contains(a.access_tiers, v.access_tier),
      false
    ) as is_wrong_tier_for_account,
    x.tier_text as tier_share_text,
    x.shortfall_tiers,
    x.excess_quantity
  from billed_variant as v
  left join inventory_attribute as a using (billing_resource_id, usage_date)
  left join tier_excess as x
    on x.billing_resource_id = v.billing_resource_id
    and x.meter = v.meter_key
    and x.usage_date = v.usage_date
    and x.access_tier = v.access_tier
),

billed_variant_tier as (
  select
    * exclude (is_wrong_tier_for_account),
    is_wrong_tier_for_account or tier_share_text is not null as is_wrong_tier
  from billed_variant_checked
),

billed_variant_described as (
  select
    *,
    is_wrong_model or is_wrong_media or is_wrong_redundancy or is_wrong_tier as is_wrong_meter,
    concat_ws(' ', model, upper(media), upper(redundancy), replace(access_tier, '_', ' ')) as variant_text,
    concat_ws(', ',
      case when is_wrong_model then 'model ' || model || ' (inventory: ' || array_to_string(models, '/') || ')' end,
      case when is_wrong_media then 'media ' || media || ' (inventory: ' || array_to_string(media_tiers, '/') || ')' end,
      case when is_wrong_redundancy
        then 'redundancy ' || redundancy || ' (inventory: ' || array_to_string(redundancies, '/') || ')' end,
      case
        when is_wrong_tier and tier_share_text is not null
          then 'tier ' || access_tier || ' (per tier of the inventory''s shares: ' || tier_share_text || ')'
        when is_wrong_tier
          then 'tier ' || access_tier || ' (inventory: ' || array_to_string(access_tiers, '/') || ')'
      end
    ) as wrong_attribute_text,
    -- the one value the wrong attribute should have had, when the inventory says exactly one (for the list price
    -- of the meter that should have been billed: diff_wrong_meter_money.sql)
    case
      when is_wrong_model or (is_wrong_media::int + is_wrong_redundancy::int + is_wrong_tier::int) <> 1 then null
      when is_wrong_tier and tier_share_text is not null and len(shortfall_tiers) = 1 then shortfall_tiers[1]
      when is_wrong_tier and tier_share_text is null and len(access_tiers) = 1 then access_tiers[1]
    end as right_tier,
    case
      when is_wrong_model or (is_wrong_media::int + is_wrong_redundancy::int + is_wrong_tier::int) <> 1 then null
      when is_wrong_redundancy and len(redundancies) = 1 then redundancies[1]
    end as right_redundancy,
    case
      when is_wrong_model or (is_wrong_media::int + is_wrong_redundancy::int + is_wrong_tier::int) <> 1 then null
      when is_wrong_media and len(media_tiers) = 1 then media_tiers[1]
    end as right_media
  from billed_variant_tier
),

billed_cell as (
  select
    billing_month,
    billing_resource_id,
    meter_key as meter,
    usage_date,
    -- a variant whose unit could not be normalised makes the cell's quantity unknown, never a silent zero
    case when bool_and(quantity_meter_unit is not null) then sum(quantity_meter_unit::decimal(38, 18)) end
      as billed_quantity,
    sum(cost_billing_currency::decimal(38, 18)) as billed_cost,
    arg_max(effective_price_per_meter_unit, abs(cost_billing_currency))
      filter (where effective_price_per_meter_unit is not null) as billed_price,
    string_agg(distinct price_basis, '; ' order by price_basis) as price_basis,
    min(billing_currency) as billed_currency,
    sum(line_count) as line_count,
    sum(correction_line_count) as correction_line_count,
    bool_or(is_wrong_meter) as has_wrong_meter,
    bool_and(is_wrong_model) as is_wrong_model_only,
    sum(quantity_meter_unit::decimal(38, 18)) filter (where is_wrong_meter) as wrong_meter_quantity,
    sum(cost_billing_currency::decimal(38, 18)) filter (where is_wrong_meter) as wrong_meter_cost,
    string_agg(variant_text || ': ' || wrong_attribute_text, '; ' order by variant_text)
      filter (where is_wrong_meter) as wrong_meter_text,
    list(variant_text order by variant_text) as variant_texts,
    list({
      'model': model, 'media': media, 'redundancy': redundancy, 'access_tier': access_tier,
      'billing_currency': billing_currency, 'right_media': right_media, 'right_redundancy': right_redundancy,
      'right_tier': right_tier,
      -- on the per-share tier check only the excess is on the wrong meter; otherwise the whole variant is
      'wrong_quantity': case when tier_share_text is not null then excess_quantity end
    } order by variant_text) filter (where is_wrong_meter and not is_wrong_model) as wrong_variants,
    list_sort(flatten(list(evidence))) as billed_evidence
  from billed_variant_described
  group by billing_month, billing_resource_id, meter_key, usage_date
),

repeated as (
  select
    billing_resource_id,
    meter_key as meter,
    usage_date,
    sum(quantity_meter_unit::decimal(38, 18)) as repeated_quantity,
    count(*) as repeated_line_count
  from duplicate_billed_line
  where is_repeat and classification = 'mapped' and billing_month in (select billing_month from months)
  group by billing_resource_id, meter_key, usage_date
),

-- The resource × meter's billed price elsewhere in the month: what a missing charge would have cost.
month_price as (
  select
    billing_month,
    billing_resource_id,
    meter_key as meter,
    arg_max(effective_price_per_meter_unit, abs(cost_billing_currency))
      filter (where effective_price_per_meter_unit is not null) as month_price,
    arg_max(billing_currency, abs(cost_billing_currency)) as month_currency
  from billed_usage
  where billing_month in (select billing_month from months)
  group by billing_month, billing_resource_id, meter_key
),

-- THE join: billed and expected cells, keys audited non-null and unique beforehand.
joined as (
  select
    coalesce(b.billing_month, e.billing_month) as billing_month,
    coalesce(b.billing_resource_id, e.billing_resource_id) as billing_resource_id,
    coalesce(b.meter, e.meter) as meter,
    coalesce(b.usage_date, e.usage_date) as usage_date,
    b.billing_resource_id is not null as has_billed,
    e.billing_resource_id is not null as has_expected,
    b.billed_quantity,
    b.billed_cost,
    b.billed_price,
    b.price_basis,
    b.billed_currency,
    b.line_count,
    b.correction_line_count,
    coalesce(b.has_wrong_meter, false) as has_wrong_meter,
    coalesce(b.is_wrong_model_only, false) as is_wrong_model_only,
    b.wrong_meter_quantity,
    b.wrong_meter_cost,
    b.wrong_meter_text,
    b.wrong_variants,
    b.variant_texts,
    b.billed_evidence,
    e.quantity::decimal(38, 18) as expected_quantity,
    e.rule,
    e.quantity_numerator,
    e.quantity_denominator,
    e.days_in_month,
    e.source_count,
    e.source_resource_ids,
    e.unknown_seconds,
    e.is_complete as is_expected_complete
  from billed_cell as b
  full outer join expected as e
    on e.billing_resource_id = b.billing_resource_id
    and e.meter = b.meter
    and e.usage_date = b.usage_date
),

enriched as (
  select
    j.*,
    coalesce(r.repeated_quantity, 0::decimal(38, 18)) as repeated_quantity,
    coalesce(r.repeated_line_count, 0) as repeated_line_count,
    j.billed_quantity - coalesce(r.repeated_quantity, 0) as compared_billed_quantity,
    coalesce(j.billed_price, mp.month_price) as effective_price,
    j.billed_price is null and mp.month_price is not null as is_price_from_month,
    coalesce(j.billed_currency, mp.month_currency) as currency,
    -- month length from the calendar when no expected row says it
    coalesce(j.days_in_month, day(last_day(j.usage_date))) as month_days,
    coalesce(c.is_fully_covered, false) as is_fully_covered,
    coalesce(c.covered_seconds, 0) as covered_seconds,
    coalesce(c.is_fully_covered, false) and coalesce(j.is_expected_complete, true) as is_covered,
    not list_contains(p.unrecomputed_meters, j.meter) as is_recomputed,
    coalesce(u.unit_kind, 'unknown') as unit_kind,
    coalesce(u.meter_unit, 'units') as meter_unit,
    dr.formula as rule_formula,
    coalesce(qc.quarantined_line_count, 0) as quarantined_line_count,
    qc.quarantined_lines,
    p.tolerance_quantity,
    p.tolerance_ratio
  from joined as j
  cross join parameter as p
  left join repeated as r using (billing_resource_id, meter, usage_date)
  left join month_price as mp using (billing_month, billing_resource_id, meter)
  left join inventory_coverage as c using (billing_resource_id, usage_date)
  left join meter_key_unit as u on u.meter_key = j.meter
  left join diff_rule as dr on dr.meter = j.meter
  left join quarantined_charge as qc using (billing_resource_id, usage_date)
),

compared as (
  select
    *,
    diff_is_within(coalesce(compared_billed_quantity, 0), coalesce(expected_quantity, 0), tolerance_quantity,
                   tolerance_ratio) as is_within_tolerance
  from enriched
),

-- Other unit conventions the billed figure may follow (diff_unit_convention): billed = expected × num ÷ den.
convention as (
  select * from diff_unit_convention
),

convention_factor as (
  select
    x.billing_resource_id,
    x.meter,
    x.usage_date,
    c.ordinal,
    c.unit_convention,
    (c.num * case when c.num_per_day then x.month_days else 1 end)::bigint as num,
    (c.den * case when c.den_per_day then x.month_days else 1 end)::bigint as den,
    x.compared_billed_quantity,
    x.expected_quantity,
    x.tolerance_quantity,
    x.tolerance_ratio
  from compared as x
  join convention as c
    on (c.for_unit_kind is null or c.for_unit_kind = x.unit_kind)
    and (not c.is_gib_only or starts_with(x.meter_unit, 'GiB'))
    and (c.assumed_days is null or c.assumed_days <> x.month_days)
  where not x.is_within_tolerance
    and x.compared_billed_quantity <> 0
    and x.expected_quantity > 0
),

matched_convention as (
  select
    billing_resource_id,
    meter,
    usage_date,
    arg_min(unit_convention, ordinal) as unit_convention,
    arg_min(num, ordinal) as convention_num,
    arg_min(den, ordinal) as convention_den
  from convention_factor
  where num <> den
    and diff_is_within_ratio(compared_billed_quantity, expected_quantity, num, den, tolerance_quantity, tolerance_ratio)
  group by billing_resource_id, meter, usage_date
),

classified as (
  select
    x.*,
    mc.unit_convention,
    mc.convention_num,
    mc.convention_den,
    case
      when x.has_billed and x.billed_quantity is null then 'unverifiable'
      when x.is_within_tolerance then null
      when not x.is_recomputed then 'unverifiable'
      when not x.has_expected and x.has_wrong_meter and x.is_wrong_model_only then 'wrong_meter'
      when not x.is_covered then 'unverifiable'
      when x.quarantined_line_count > 0 and coalesce(x.compared_billed_quantity, 0) < coalesce(x.expected_quantity, 0)
        then 'unverifiable'
      when coalesce(x.compared_billed_quantity, 0) = 0 then 'missing_charge'
      when coalesce(x.expected_quantity, 0) = 0 then 'unexpected_charge'
      when mc.unit_convention is not null then 'unit_mismatch'
      else 'quantity_mismatch'
    end as outcome,
    case
      when x.has_billed and x.billed_quantity is null then 'unit_unknown'
      when x.is_within_tolerance then null
      when not x.is_recomputed then 'not_recomputed'
      when not x.has_expected and x.has_wrong_meter and x.is_wrong_model_only then null
      when not x.is_fully_covered then 'not_covered'
      when not x.is_covered then 'expected_incomplete'
      when x.quarantined_line_count > 0 and coalesce(x.compared_billed_quantity, 0) < coalesce(x.expected_quantity, 0)
        then 'charge_quarantined'
    end as unverifiable_reason
  from compared as x
  left join matched_convention as mc using (billing_resource_id, meter, usage_date)
),

final as (
  select
    *,
    coalesce(compared_billed_quantity, 0) - coalesce(expected_quantity, 0) as compared_delta_quantity,
    case
      when outcome = 'unverifiable' then 'unverifiable'
      when outcome is not null or has_wrong_meter or repeated_line_count > 0 then 'finding'
      else 'match'
    end as status
  from classified
)

select * from final
