-- delivery_day: the usage days a delivery just ingested bills, by the month of its lines (grain: delivery_id ×
-- usage_date). current_delivery_day picks, per export scope and day, the newest delivery that bills it.
insert into delivery_day
with final as (
  select delivery_id, billing_month, usage_date, count(*) as line_count
  from billing_line
  where delivery_id = cast($delivery_id as varchar)
  group by all
)

select * from final
