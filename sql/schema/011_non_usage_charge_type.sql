-- Charge types that are not usage of a meter: reservation purchases, unused commitments, tax. Refunds of usage are
-- usage (they net against what they correct). One definition for the two places that ask: the ingest (a Files or
-- snapshot line of these types may lack a resource) and the billed stage (these lines are ignored). They compared
-- differently (the ingest trimmed, the billed stage did not), so ' Purchase' without a resource passed the ingest
-- and then stopped the diff on a NULL key.
create macro is_non_usage_charge_type(charge_type) as
  coalesce(lower(trim(charge_type)), '') in ('purchase', 'unusedreservation', 'unusedsavingsplan', 'tax');
