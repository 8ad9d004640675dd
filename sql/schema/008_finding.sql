-- finding: one classified discrepancy between what was billed and what should have been (grain: finding_id).
-- The columns up to `explanation` are the public finding schema of contract.md (same names in JSON, CSV, Parquet);
-- the rest is evidence for `recon explain` and the HTML report. Rebuilt per billing month by the diff stage.
create table finding (
  finding_id          varchar primary key,     -- sha256 of billing_resource_id|meter|usage_date|kind (first 16 hex)
  billing_month       varchar not null,        -- YYYY-MM
  usage_date          date,                    -- null for month-level findings
  billing_resource_id varchar,                 -- lower-cased ARM id; null only for a line with no resource
  meter               varchar,                 -- canonical meter key; null for unmapped_meter
  kind                varchar not null check (kind in ('missing_charge', 'unexpected_charge', 'quantity_mismatch',
                        'unit_mismatch', 'wrong_meter', 'duplicate_charge', 'unmapped_meter', 'price_mismatch',
                        'metadata_violation', 'unverifiable')),
  severity            varchar not null check (severity in ('high', 'medium', 'low')),
  billed_quantity     decimal(38, 18),
  expected_quantity   decimal(38, 18),
  delta_quantity      decimal(38, 18),
  billed_cost         decimal(38, 18),
  cost_impact         decimal(38, 18),         -- money at stake in billing currency, always >= 0
  currency            varchar,
  provisional         boolean not null,
  explanation         varchar not null,
  -- evidence (not part of the public schema)
  rule                varchar,                 -- the recompute rule or check that produced the expected side
  unit_convention     varchar,                 -- unit_mismatch: the convention the billed figure matches
  evidence            json,                    -- source lines, intervals, deliveries
  run_id              varchar not null
);

-- comparison: the diff's full outer join of billed and expected usage (grain: billing_resource_id × meter ×
-- usage_date). Every compared cell, matching or not: the report charts billed vs expected from it.
create table comparison (
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
  status              varchar not null check (status in ('match', 'finding', 'unverifiable')),
  primary key (billing_resource_id, meter, usage_date)
);
