-- broken_delivery: deliveries an older recon stored for a header-only file with no billing month (billing_month
-- 'unknown', nothing read), which made every later run crash. They hold nothing, so the ingest stage removes them
-- (grain: delivery_id).
with final as (
  select delivery_id, source_path
  from delivery
  where not regexp_full_match(billing_month, '\d{4}-(0[1-9]|1[0-2])')
    and rows_read = 0
)

select * from final
order by source_path, delivery_id
