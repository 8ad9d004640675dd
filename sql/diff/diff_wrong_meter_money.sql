-- diff_wrong_meter_money: the money at stake of a wrong_meter finding whose key is right but whose media,
-- redundancy or tier is not, at LIST price (grain: billing_resource_id × meter × usage_date).
-- The bill shows the price of the meter Azure used, not of the one it should have used; the retail price list
-- (retail_meter_price, USD) has both. The meter that should have been billed is the billed meter's real name with
-- the one wrong attribute put right ('Cool LRS Data Stored' on a hot share → 'Hot LRS Data Stored'; a TO share →
-- 'LRS Data Stored'; 'HDD LRS …' on a GRS account → 'HDD GRS …'), looked up under the same product (legacy 'Files'
-- and 'Files v2' share their meters), region (the line's resource location as an ARM region name) and unit.
-- money = |Σ quantity × (list price of the billed meter − list price of the right one)|. Unknown (null) when a
-- name, region or price is not in the list, when the right attribute is not one value, or when the bill is not
-- in USD: list prices are never mixed with another currency.
create or replace temp view diff_wrong_meter_money as
with

variant as (
  select billing_resource_id, meter, usage_date, unnest(wrong_variants) as v
  from diff_cell
  where len(wrong_variants) > 0
),

line as (
  select
    x.billing_resource_id,
    x.meter,
    x.usage_date,
    x.v.right_media,
    x.v.right_redundancy,
    x.v.right_tier,
    x.v.wrong_quantity,
    l.export_units_per_meter_unit,
    l.billing_currency,
    l.meter_subcategory,
    l.meter_name,
    l.unit_of_measure,
    lower(replace(l.resource_location, ' ', '')) as region,
    l.quantity
  from variant as x
  join diff_line as l
    on l.classification = 'mapped'
    and l.billing_resource_id = x.billing_resource_id
    and l.meter_key = x.meter
    and l.usage_date = x.usage_date
    and l.model = x.v.model
    and l.media is not distinct from x.v.media
    and l.redundancy is not distinct from x.v.redundancy
    and l.access_tier is not distinct from x.v.access_tier
    and l.billing_currency is not distinct from x.v.billing_currency
),

named as (
  select
    *,
    case
      when right_tier is not null
        then case right_tier when 'hot' then 'Hot ' when 'cool' then 'Cool ' else '' end
          || regexp_replace(meter_name, '^(hot|cool) ', '', 'i')
      when right_redundancy is not null
        then regexp_replace(meter_name, '\b(lrs|zrs|grs|gzrs)\b', upper(right_redundancy), 'i')
      when right_media is not null then regexp_replace(meter_name, '\b(ssd|hdd)\b', upper(right_media), 'i')
    end as right_meter_name,
    case when meter_subcategory in ('Files', 'Files v2') then ['Files', 'Files v2'] else [meter_subcategory] end
      as products
  from line
),

priced as (
  select
    n.*,
    (
      select case when count(distinct p.retail_price) = 1 then min(p.retail_price) end
      from retail_meter_price as p
      where list_contains(n.products, p.product) and lower(p.meter_name) = lower(n.meter_name)
        and p.region = n.region and p.unit_of_measure = n.unit_of_measure
    ) as billed_list_price,
    (
      select case when count(distinct p.retail_price) = 1 then min(p.retail_price) end
      from retail_meter_price as p
      where list_contains(n.products, p.product) and lower(p.meter_name) = lower(n.right_meter_name)
        and p.region = n.region and p.unit_of_measure = n.unit_of_measure
    ) as right_list_price
  from named as n
),

final as (
  select
    billing_resource_id,
    meter,
    usage_date,
    bool_or(billing_currency is distinct from 'USD') as is_other_currency,
    min(billing_currency) as billing_currency,
    bool_and(billed_list_price is not null and right_list_price is not null) as is_priced,
    case
      when not bool_and(billed_list_price is not null and right_list_price is not null
                        and billing_currency is not distinct from 'USD') then null
      -- the whole variant is on the wrong meter: every line at its own list prices
      when bool_and(wrong_quantity is null)
        then abs(sum(quantity::decimal(38, 12) * (billed_list_price - right_list_price)::decimal(38, 16)))::decimal(38, 18)
      -- only the excess over the tier's shares is (in the key's unit): one meter, unit and region, else unknown
      when count(distinct (meter_name, unit_of_measure, region, export_units_per_meter_unit)) = 1
        then abs((any_value(wrong_quantity)::decimal(38, 12) * any_value(export_units_per_meter_unit)::decimal(38, 8))
          ::decimal(38, 12) * any_value(billed_list_price - right_list_price)::decimal(38, 16))::decimal(38, 18)
    end as list_price_money,
    string_agg(distinct '''' || meter_name || ''' ' || diff_num(billed_list_price) || ' USD → '''
      || coalesce(right_meter_name, '?') || ''' ' || diff_num(right_list_price) || ' USD per ' || unit_of_measure
      || ' in ' || coalesce(region, '(no region)'), '; ') as price_text
  from priced
  group by billing_resource_id, meter, usage_date
)

select * from final
