-- Rows kept with a problem, and what a quarantined charge still says (issue 11, Rows).

-- descriptive_field_problem: a charge row kept although one of its descriptive columns (Tags, AdditionalInfo,
-- UnitPrice) could not be read; the column is NULL in billing_line and its text is kept here, as written
-- (grain: delivery_id × source_file × source_line × column_name). Only the columns the reconciliation needs
-- send a row to the quarantine.
create table descriptive_field_problem (
  delivery_id  varchar not null,
  source_file  varchar not null,
  source_line  bigint not null,
  column_name  varchar not null,               -- as the file spells it
  problem      varchar not null,
  raw_text     varchar                         -- the field's text as written
);

-- What a quarantined charge row still says about where it belongs, when those columns did convert: the diff
-- reports a day that a quarantined charge may bill as unverifiable instead of "nothing billed".
alter table quarantine add column billing_resource_id varchar;  -- normalised like billing_line's
alter table quarantine add column usage_date date;              -- the usage day, when the charge period converted
alter table quarantine add column is_files_or_snapshot boolean; -- the row names a Files or snapshot meter

-- An ARM resource id as one key: ARM ids are case-insensitive, and exports and inventories add surrounding
-- spaces or a trailing '/' (a copied URL path). Every id that groups or joins billed and inventory rows goes
-- through this one rule. NULL when empty.
create macro normalised_resource_id(v) as nullif(rtrim(lower(trim(v)), '/'), '');

-- How far the inventory vouches for the last state it recorded of a share or snapshot (docs/inventory.md).
-- share_state.csv and disk_snapshot.csv are change logs (contract.md): their last row holds until as_of
-- (--inventory-as-of) when given, else to the end of the billed period (billed_until). A JSON snapshot (az … list
-- output) vouches to the end of its observation's UTC day, or to as_of when later. Never before the end of the
-- observation's own day.
create macro inventory_held_to(source_kind, observed_at, as_of, billed_until) as
  greatest(
    date_trunc('day', observed_at) + interval 1 day,
    case when source_kind = 'csv' then coalesce(as_of, billed_until) else as_of end
  );
