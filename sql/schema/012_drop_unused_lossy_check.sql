-- ingest_decimal_is_lossy (002) is no longer called: ingest_decimal_problem (sql/ingest/ingest_checks.sql) checks
-- exact digits for plain and E-notation numbers alike.
drop macro if exists ingest_decimal_is_lossy;
