-- diff_wrong_meter (temp table) — grain: billing_month × billing_resource_id × meter × usage_date, one row per cell
-- billed in the months the diff compares (diff_month) with a variant on the wrong meter (only those: a table of
-- every billed cell was as large as the month, and diff_cell.sql's join held it whole). Long because each attribute
-- (model, media, redundancy, tier per account and per share) is judged, and the wrong ones described, in one place.
-- A billed variant of a cell is on the wrong meter (is_wrong_meter) when an attribute its line states (model, media,
-- redundancy, tier) is not what the inventory says; an attribute the line does not state is never compared, nor one
-- the inventory does not vouch for that day. The access tier belongs to each share, so the tier is also checked per
-- share: where every billed variant of a cell states its tier and every share's tier that day is known, a tier billed
-- more than its shares expect while another tier is billed less is on the wrong meter (hot data billed on the cool
-- meter of an account that also has cool shares). A cell's variants are judged together and all share its scope, so
-- diff_cell reads this for the cells in its scope.
--   has_wrong_meter        true: some variant is on the wrong meter; is_wrong_model_only: every variant is of another model
--   wrong_meter_quantity / _cost / _text   of those variants; wrong_variants: the ones whose key is right (their
--                          money is priced by diff_wrong_meter_money.sql), with the one attribute value they should
--                          have had when the inventory says exactly one
-- Run a batch of usage dates at a time, [$batch_from, $batch_to] (src/db/batches.ts says why): everything here is
-- per usage date.
with

parameter as (
  select * from diff_parameter
),

billed_variant as (
  -- the columns judged and summed (billed_usage also holds each group's evidence list)
  select
    b.billing_month, b.billing_resource_id, b.meter_key, b.usage_date, b.model, b.media, b.redundancy,
    b.access_tier, b.billing_currency, b.quantity_meter_unit, b.cost_billing_currency
  from billed_usage as b
  join diff_month as m using (billing_month)
  where b.usage_date between $batch_from::date and $batch_to::date
),

-- What the inventory says each billed resource was on each billed day: shares (classic accounts share model,
-- media and redundancy; the tier is per share) and disk snapshots, each as far as the inventory vouches for it
-- (source_interval.vouched_to, sql/inventory/model.sql — where recompute stops too: after it an attribute is not
-- known, so it is never compared). Redundancy on both sides is read by the one parser, inv_redundancy: RA-GRS /
-- RA-GZRS meters bill GRS / GZRS shares.
inventory_interval as (
  select
    source_kind,
    source_resource_id,
    billing_resource_id,
    valid_from,
    vouched_to,
    billing_model as model,
    media_tier as media,
    inv_redundancy(redundancy) as redundancy,
    access_tier
  from source_interval
),

billed_day as (
  select distinct billing_resource_id, usage_date from billed_variant
),

inventory_attribute as (
  select
    d.billing_resource_id,
    d.usage_date,
    list_sort(list_distinct(list(i.model))) as models,
    list_sort(list_distinct(list(i.media) filter (where i.media is not null))) as media_tiers,
    list_sort(list_distinct(list(i.redundancy) filter (where i.redundancy is not null))) as redundancies,
    list_sort(list_distinct(list(i.access_tier) filter (where i.model = 'payg' and i.access_tier is not null)))
      as access_tiers,
    bool_or(i.model = 'payg' and i.access_tier is null) as has_unknown_tier
  from billed_day as d
  join inventory_interval as i
    on i.billing_resource_id = d.billing_resource_id
    and i.valid_from < d.usage_date + interval 1 day
    and i.vouched_to > d.usage_date
  group by d.billing_resource_id, d.usage_date
),

-- The tier of each pay-as-you-go share on each billed day: known when one tier held all the share's intervals of
-- that day.
share_day_tier as (
  select
    i.source_resource_id as share_resource_id,
    d.usage_date,
    min(i.access_tier) as access_tier,
    count(distinct i.access_tier) = 1 and bool_and(i.access_tier is not null) as is_tier_known
  from billed_day as d
  join inventory_interval as i
    on i.billing_resource_id = d.billing_resource_id
    and i.source_kind = 'share'
    and i.model = 'payg'
    and i.valid_from < d.usage_date + interval 1 day
    and i.vouched_to > d.usage_date
  group by i.source_resource_id, d.usage_date
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
    list_sort(list(access_tier) filter (where is_off and not is_excess)) as shortfall_tiers
  from tier_checked
  group by billing_resource_id, meter, usage_date
),

-- The cells whose tiers are off, each with its per-tier sentence (written for these few only).
tier_off_cell as (
  select
    t.billing_resource_id,
    t.meter,
    t.usage_date,
    any_value(c.shortfall_tiers) as shortfall_tiers,
    array_to_string(values_in_key_order(list({
      k: t.access_tier,
      v: t.access_tier || ' ' || diff_num(t.billed_quantity) || ' billed, ' || diff_num(t.expected_quantity)
        || ' expected'
    })), '; ') as tier_text
  from tier_checked as t
  join tier_cell as c using (billing_resource_id, meter, usage_date)
  where c.is_checkable and c.has_shortfall
  group by t.billing_resource_id, t.meter, t.usage_date
),

tier_excess as (
  select t.billing_resource_id, t.meter, t.usage_date, t.access_tier, c.tier_text, c.shortfall_tiers,
    t.billed_quantity - t.expected_quantity as excess_quantity
  from tier_checked as t
  join tier_off_cell as c using (billing_resource_id, meter, usage_date)
  where t.is_off and t.is_excess
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

billed_variant_judged as (
  select
    *,
    is_wrong_model or is_wrong_media or is_wrong_redundancy or is_wrong_tier as is_wrong_meter
  from billed_variant_tier
),

-- the cells with a variant on the wrong meter: only their variants are described below (a sentence for every
-- variant of the month was most of this statement's time)
wrong_cell as (
  select distinct billing_month, billing_resource_id, meter_key, usage_date
  from billed_variant_judged
  where is_wrong_meter
),

billed_variant_described as (
  select
    *,
    diff_variant_text(model, media, redundancy, access_tier) as variant_text,
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
  from billed_variant_judged
  semi join wrong_cell using (billing_month, billing_resource_id, meter_key, usage_date)
),

final as (
  select
    billing_month,
    billing_resource_id,
    meter_key as meter,
    usage_date,
    bool_or(is_wrong_meter) as has_wrong_meter,
    bool_and(is_wrong_model) as is_wrong_model_only,
    sum(quantity_meter_unit::decimal(38, 18)) filter (where is_wrong_meter) as wrong_meter_quantity,
    sum(cost_billing_currency::decimal(38, 18)) filter (where is_wrong_meter) as wrong_meter_cost,
    array_to_string(
      values_in_key_order(
        list({k: variant_text, v: variant_text || ': ' || wrong_attribute_text}) filter (where is_wrong_meter)
      ),
      '; '
    ) as wrong_meter_text,
    values_in_key_order(list({
      k: variant_text,
      v: {
        'model': model, 'media': media, 'redundancy': redundancy, 'access_tier': access_tier,
        'billing_currency': billing_currency, 'right_media': right_media, 'right_redundancy': right_redundancy,
        'right_tier': right_tier,
        -- on the per-share tier check only the excess is on the wrong meter; otherwise the whole variant is
        'wrong_quantity': case when tier_share_text is not null then excess_quantity end
      }
    }) filter (where is_wrong_meter and not is_wrong_model)) as wrong_variants
  from billed_variant_described
  group by billing_month, billing_resource_id, meter_key, usage_date
)

select * from final
