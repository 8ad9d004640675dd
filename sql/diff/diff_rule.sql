-- diff_rule: each recomputed meter's rule and formula in words, from src/recompute/rules.ts (grain: meter). Bound
-- once as parallel lists so explanations quote the text the rules module documents.
create or replace temp table diff_rule as
select
  unnest($meters::varchar[]) as meter,
  unnest($rules::varchar[]) as rule,
  unnest($formulas::varchar[]) as formula
