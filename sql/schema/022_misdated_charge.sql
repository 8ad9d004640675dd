-- Month-level comparison (issue 15): the finding kind misdated_charge — a resource × meter's month total is billed
-- as expected, but on other days than the usage (a whole month billed on one day, a restated day moved). It
-- replaces that month's daily missing/over-billed findings with one month-level finding (usage_date null) and has
-- no money at stake (sql/diff/diff_month_total.sql).
--
-- DuckDB cannot alter a CHECK constraint, and recreating `finding` would drop what later migrations add to it (and
-- the views over it), so the kind column is rebuilt in place without the constraint and the list of kinds moves
-- into finding_kind_is_known, which sql/diff/finding.sql — the one writer of `finding` — enforces on every insert.
create macro finding_kind_is_known(kind) as kind in (
  'missing_charge', 'unexpected_charge', 'quantity_mismatch', 'unit_mismatch', 'wrong_meter', 'duplicate_charge',
  'unmapped_meter', 'price_mismatch', 'metadata_violation', 'unverifiable', 'misdated_charge'
);

alter table finding rename column kind to kind_before_022;
alter table finding add column kind varchar;
update finding set kind = kind_before_022;
alter table finding drop column kind_before_022;
alter table finding alter column kind set not null;
