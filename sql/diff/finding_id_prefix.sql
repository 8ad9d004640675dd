-- finding_id_prefix: the findings whose id starts with a prefix, for `recon explain <prefix>` (grain: finding_id).
-- At most 11 rows: one is a match, two or more are an ambiguous prefix (the CLI lists up to 10 and says "…").
-- $prefix: 1–16 hex digits, lower case (checked by the CLI).
select finding_id, kind, billing_month, usage_date::varchar as usage_date, billing_resource_id
from finding
where starts_with(finding_id, $prefix::varchar)
order by finding_id
limit 11
