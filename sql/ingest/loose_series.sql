-- loose_series: the export scope of a loose file without the export layout, from the rows just staged (one row).
-- Month-to-date downloads of one export carry one billing account: they are one series 'loose:<dialect>:<account>'
-- in which the newest speaks for each day. Without an account the file is a series of its own ('file:<path>').
with staged as (
  select billing_account_id from ingest_delivery_row where reason is null
),

final as (
  select coalesce(
    'loose:' || cast($dialect as varchar) || ':' || lower(min(trim(billing_account_id))),
    'file:' || cast($source_path as varchar)
  ) as export_scope
  from staged
)

select * from final
