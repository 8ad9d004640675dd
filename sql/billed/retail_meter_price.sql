-- retail_meter_price: reload the Azure retail list prices from the vendored data/azure-retail-meters/meters.csv
-- ($path). Only consumption (pay-as-you-go) rows that state a price; the notes column writes them as
-- 'retailPrice <region>=<price>[;<region>=<price>…]' (SOURCES.md). Prices are read exactly (DECIMAL, E-notation
-- such as 1.3e-05 included), never through a double.
delete from retail_meter_price;

insert into retail_meter_price
with

rows as (
  select *
  from read_csv($path, header = true, all_varchar = true, quote = '"', escape = '"')
  where product_or_subcategory is not null
    and unit_of_measure is not null
    and contains(notes, 'type=Consumption')
    and contains(notes, 'retailPrice ')
),

pairs as (
  select
    product_or_subcategory as product,
    sku_name as sku,
    meter_name,
    unit_of_measure,
    source_id,
    unnest(string_split(regexp_extract(notes, 'retailPrice ([a-z0-9]+=[0-9.eE+-]+(;[a-z0-9]+=[0-9.eE+-]+)*)', 1), ';'))
      as pair
  from rows
),

final as (
  select
    product,
    sku,
    meter_name,
    unit_of_measure,
    split_part(pair, '=', 1) as region,
    'USD' as currency,
    split_part(pair, '=', 2)::decimal(38, 18) as retail_price,
    source_id
  from pairs
  where pair <> ''
)

select * from final
