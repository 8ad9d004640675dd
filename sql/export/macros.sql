-- Macros of the Parquet export (temporary: they live for the export's connection only). Created by
-- src/export/index.ts before any table is written.

-- The billed attributes of each resource for dashboards (grain: billing_resource_id): subscription, resource group,
-- name and tags as the billed lines state them, taken from one line — the latest charge period of the given billing
-- month, else (a resource not billed that month, e.g. a missing charge) that of the latest month it was billed in.
-- Reads export_billed_resource_month (sql/export/export_billed_resource_month.sql), built once per export.
create or replace temp macro export_billed_resource(for_month) as table
  select billing_resource_id, subscription_id, resource_group, resource_name, tags
  from export_billed_resource_month
  qualify row_number() over (
    partition by billing_resource_id
    order by (billing_month = for_month) desc, billing_month desc
  ) = 1;

-- What the ARM id itself states, for a resource no billed line names: /subscriptions/<id>/resourceGroups/<group>/…/<name>.
create or replace temp macro export_arm_subscription(resource_id) as
  nullif(regexp_extract(resource_id, '^/subscriptions/([^/]+)', 1, 'i'), '');

create or replace temp macro export_arm_resource_group(resource_id) as
  nullif(regexp_extract(resource_id, '^/subscriptions/[^/]+/resourcegroups/([^/]+)', 1, 'i'), '');

create or replace temp macro export_arm_resource_name(resource_id) as
  nullif(regexp_extract(resource_id, '^/subscriptions/[^/]+/resourcegroups/[^/]+/providers/.+/([^/]+)$', 1, 'i'), '');

-- numerator ÷ denominator to 18 decimals, rounded half away from zero (as DuckDB's DECIMAL casts round), computed
-- from the exact integers: the remainder × 10^18 stays below 2^127 for any BIGINT denominator.
create or replace temp macro export_quotient_18(numerator, denominator) as
  sign(numerator) * (
    (abs(numerator) // denominator)::decimal(38, 0)
    + ((abs(numerator) % denominator) * 1000000000000000000::hugeint + denominator // 2) // denominator
      * 0.000000000000000001::decimal(18, 18)
  );

-- A warehouse DECIMAL(38, 28) as the export's DECIMAL(28, 18): rounded half away from zero at the 18th decimal
-- (docs/parquet-schemas.md, "Exact numbers"). round() to a constant scale is DuckDB's decimal rounding and costs about
-- half a DECIMAL(38, 18) cast (2M billing lines × 6 columns: 25.3 → 23.1 s for the month's file, same bytes;
-- 2026-12-08). A value with more than 10 integer digits fails the width cast: the export stops, naming it.
create or replace temp macro export_decimal_28_18(value) as
  round(value, 18)::decimal(28, 18);
