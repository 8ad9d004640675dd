-- export_billed_resource_month: the latest billed line's subscription, resource group, name and tags for each resource
-- and billing month (grain: billing_resource_id × billing_month), read by the macro export_billed_resource
-- (sql/export/macros.sql). One line, not a mix of lines: the latest charge period, ties to the newest delivery, then
-- the last line, so the pick is deterministic. export_line is the billing lines that count (current_billing_line,
-- else billing_line), a temporary view set up by src/export/index.ts. Temporary: it lives for the export.
create or replace temp table export_billed_resource_month as
select billing_resource_id, billing_month, subscription_id, resource_group, resource_name, tags
from export_line
where billing_resource_id is not null
qualify row_number() over (
  partition by billing_resource_id, billing_month
  order by charge_period_start desc, delivery_id desc, source_file desc, source_line desc
) = 1
