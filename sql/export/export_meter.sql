-- export_meter: the rows of the Parquet meter dimension (grain: meter), filled by src/export/index.ts from
-- src/export/meter-dimension.ts (the canonical keys of src/billing/meters.ts). Temporary: it lives for the export.
create or replace temp table export_meter (
  meter       varchar primary key,  -- canonical meter key (contract.md)
  model       varchar not null,     -- v2, v1, payg, disk
  unit_kind   varchar not null,     -- hourly_units, monthly_units, count_10k, plain_gib
  unit        varchar not null,     -- the unit of every quantity of this meter in the other tables
  description varchar not null
);
