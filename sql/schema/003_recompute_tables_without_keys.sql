-- 003: the recompute's tables (expected_share_usage, expected_usage, expected_usage_month, inventory_coverage) and
-- the diff's comparison without their primary keys. A key is an ART index DuckDB holds in memory and maintains on
-- every delete and insert: recomputing a month already in the warehouse (a newer month-to-date delivery, --full)
-- deletes and re-inserts its 1.9M expected_share_usage keys in one transaction, which took 66 s (delete 19 s, insert
-- 19 s, commit 28 s; 4 s without the key) and then ran out of memory in expected_usage at --memory-limit 1GB
-- (measured 2026-12-07 on the bench's 2M-row month).
-- As for 002, each grain is kept by construction and checked by an audit instead:
--   expected_share_usage and expected_usage: the recompute refuses a repeated key before it commits
--     (sql/recompute/audit_expected_key.sql), and the diff again for expected_usage (sql/diff/audit_expected_usage_key.sql);
--   expected_usage_month (grouped by its grain from expected_usage) and inventory_coverage (grouped by its grain):
--     by construction;
--   comparison: one row per diff_cell, the full outer join of two sides whose keys the diff audits first.
-- DuckDB cannot drop a constraint, so each table is rebuilt with its rows and the same columns and checks.

create table expected_share_usage_unkeyed (
  source_kind          varchar not null check (source_kind in ('share', 'disk_snapshot', 'transaction_count')),
  source_resource_id   varchar not null,   -- share id, snapshot id, or the billed account for transaction counts
  billing_resource_id  varchar not null,
  meter                varchar not null,
  usage_date           date not null,
  billing_month        varchar not null,   -- YYYY-MM of usage_date
  rule                 varchar not null,   -- src/recompute/rules.ts
  quantity             decimal(38, 20) not null,  -- in the meter's unit (contract.md), rounded at the 20th decimal
  quantity_numerator   hugeint not null,   -- exact: quantity = quantity_numerator / quantity_denominator
  quantity_denominator bigint not null,
  numerator_unit       varchar not null,   -- byte_seconds | iops_seconds | mibps_seconds | transactions
  days_in_month        integer not null,
  covered_seconds      bigint,             -- seconds of the day the source's intervals for this meter cover
  unknown_seconds      bigint not null,    -- of those, seconds whose input (a size, a tier) is NULL: quantity is then a lower bound
  is_complete          boolean not null,   -- unknown_seconds = 0
  is_open_ended        boolean not null,   -- an interval with no valid_to was cut inside the day where the inventory
                                           -- stops vouching for it (its covered_to, else the horizon)
  horizon              timestamp          -- where the open interval(s) were cut; null when none was
);

insert into expected_share_usage_unkeyed select * from expected_share_usage;
drop table expected_share_usage;
alter table expected_share_usage_unkeyed rename to expected_share_usage;

create table expected_usage_unkeyed (
  billing_resource_id  varchar not null,
  meter                varchar not null,
  usage_date           date not null,
  billing_month        varchar not null,
  rule                 varchar not null,
  quantity             decimal(38, 20) not null,
  quantity_numerator   hugeint not null,
  quantity_denominator bigint not null,
  numerator_unit       varchar not null,
  days_in_month        integer not null,
  source_count         integer not null,   -- shares / snapshots / transaction sources summed
  source_resource_ids  varchar[] not null,
  unknown_seconds      bigint not null,
  is_complete          boolean not null,
  is_open_ended        boolean not null
);

insert into expected_usage_unkeyed select * from expected_usage;
drop table expected_usage;
alter table expected_usage_unkeyed rename to expected_usage;

create table expected_usage_month_unkeyed (
  billing_resource_id  varchar not null,
  meter                varchar not null,
  billing_month        varchar not null,
  rule                 varchar not null,
  quantity             decimal(38, 20) not null,
  quantity_numerator   hugeint not null,
  quantity_denominator bigint not null,
  numerator_unit       varchar not null,
  days_in_month        integer not null,
  day_count            integer not null,   -- days with an expected_usage row
  source_count         integer not null,
  unknown_seconds      bigint not null,
  is_complete          boolean not null,
  is_open_ended        boolean not null
);

insert into expected_usage_month_unkeyed select * from expected_usage_month;
drop table expected_usage_month;
alter table expected_usage_month_unkeyed rename to expected_usage_month;

create table inventory_coverage_unkeyed (
  billing_resource_id  varchar not null,
  usage_date           date not null,
  billing_month        varchar not null,
  covered_seconds      bigint not null,   -- whole seconds (floor) of the day covered
  is_fully_covered     boolean not null  -- all 86,400 seconds
);

insert into inventory_coverage_unkeyed select * from inventory_coverage;
drop table inventory_coverage;
alter table inventory_coverage_unkeyed rename to inventory_coverage;

create table comparison_unkeyed (
  billing_month       varchar not null,
  billing_resource_id varchar not null,
  meter               varchar not null,
  usage_date          date not null,
  billed_quantity     decimal(38, 18),         -- null: nothing billed
  expected_quantity   decimal(38, 18),         -- null: nothing expected (or not computable)
  delta_quantity      decimal(38, 18),         -- billed − expected, nulls as 0
  billed_cost         decimal(38, 18),
  effective_price     decimal(38, 18),
  currency            varchar,
  is_covered          boolean not null,        -- an inventory observation covers this resource and day
  status              varchar not null check (status in ('match', 'finding', 'unverifiable'))
);

insert into comparison_unkeyed select * from comparison;
drop table comparison;
alter table comparison_unkeyed rename to comparison;
