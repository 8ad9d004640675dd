-- The meter catalog states a verdict per row (issue 12): 'reconciled' rows map a meter to a canonical key;
-- 'not_reconciled' rows name Files and snapshot meters recon knows but does not reconcile (v1 paid bursting,
-- reservation purchases, File Sync, Disk Operations, Instant Access Snapshots); 'not_ours' rows name meters that
-- share Files or snapshot words but bill another service (Premium Page Blob snapshots). Only reconciled rows carry a
-- key and its model. media / redundancy / access_tier may be '*': read from the billed line's own text (the
-- meter name, else the subcategory, else the product), unknown when it does not state it.
-- The rows are reloaded from data/meter-catalog.csv at every run, so the table is recreated empty.
drop table meter_catalog;

create table meter_catalog (
  catalog_line        integer primary key,  -- physical line in the CSV (header = line 1)
  priority            integer not null,
  meter_id            varchar,              -- lower-cased meter GUID
  category_pattern    varchar,              -- against meter_category
  subcategory_pattern varchar,              -- against meter_subcategory
  name_pattern        varchar,              -- against meter_name
  verdict             varchar not null check (verdict in ('reconciled', 'not_reconciled', 'not_ours')),
  meter_key           varchar,              -- reconciled rows only
  model               varchar check (model in ('v2', 'v1', 'payg', 'disk')),
  media               varchar check (media in ('ssd', 'hdd', '*')),
  redundancy          varchar check (redundancy in ('lrs', 'zrs', 'grs', 'gzrs', 'ragrs', 'ragzrs', '*')),
  access_tier         varchar check (access_tier in ('hot', 'cool', 'transaction_optimized', '*')),
  is_free_companion   boolean not null,     -- a v2 '… Free' meter: its quantity counts toward the paid key
  note                varchar,
  source_path         varchar not null,
  loaded_at           timestamp not null,
  check (meter_id is not null or coalesce(category_pattern, subcategory_pattern, name_pattern) is not null),
  check ((verdict = 'reconciled') = (meter_key is not null and model is not null))
);

-- Read an access tier (hot | cool) from the meter name, else the product text. 'transaction_optimized' is never
-- read: no billed text spells it; catalog rows state it for the name forms that exist only for that tier.
create macro access_tier_token(meter_name, product_name) as
  coalesce(
    nullif(regexp_extract(lower(meter_name), '\b(hot|cool)\b', 1), ''),
    nullif(regexp_extract(lower(product_name), '\b(hot|cool)\b', 1), '')
  );

-- retail_meter_price: Azure retail list prices of the Files and snapshot meters (vendored
-- data/azure-retail-meters/meters.csv; consumption prices, USD), reloaded with the catalog
-- (grain: product × sku × meter_name × unit_of_measure × region). Used only to price wrong_meter findings at list
-- price: the bill does not show the price of the meter that should have been billed.
create table retail_meter_price (
  product          varchar not null,   -- retail productName = billed MeterSubCategory
  sku              varchar,
  meter_name       varchar not null,
  unit_of_measure  varchar not null,
  region           varchar not null,   -- armRegionName, e.g. westeurope
  currency         varchar not null,   -- USD (the retail API's default currency)
  retail_price     decimal(38, 18) not null,
  source_id        varchar not null
);
