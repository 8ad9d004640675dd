-- Rules more than one stage reads, stated once.

-- is_correction: the one rule for "this line corrects an earlier charge" — FOCUS ChargeClass 'Correction', or the
-- EA/MCA ChargeType 'Refund' (finops-toolkit focus/mapping.md). Case and surrounding spaces are not part of the
-- value. Read by the ingest stage (EA/MCA charge_class; a negative usage quantity is allowed on a correction) and
-- by the billed stage (a correction nets by the sign of its cost). A macro in the schema because both stages
-- need it and the ingest stage runs before any other stage's SQL is loaded.
create macro is_correction(charge_class, charge_type) as
  coalesce(lower(trim(charge_class)) = 'correction' or lower(trim(charge_type)) = 'refund', false);

-- csv_cell: a cell as CSV writes it back (quoted when it must be): the raw_text of a quarantined row, for export
-- rows (src/ingest/typed-select.ts) and inventory rows (src/inventory/csv.ts) alike. contains() rather than a
-- regex: the inventory runs it on every cell of every row. Replaces ingest_csv_field (002).
create macro csv_cell(text) as
  case
    when text is null then ''
    when contains(text, '"') or contains(text, ',') or contains(text, chr(10)) or contains(text, chr(13))
      then '"' || replace(text, '"', '""') || '"'
    else text
  end;
drop macro ingest_csv_field;
