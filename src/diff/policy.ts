// The diff's judgement calls, in one place: default tolerances, the settle window and the severity thresholds.
// They are bound into diff_parameter (sql/diff/diff_parameter.sql) and applied in SQL.

/**
 * Severity from the money at stake (cost_impact, in billing currency): high from 100, medium from 10, else low.
 * A finding whose money is unknown is medium when a charge is missing, unexpected, mis-sized or on the wrong meter
 * (someone should look), low when it is unverifiable or an unmapped meter (nothing is known to be wrong).
 * unverifiable is capped at medium — the inventory cannot confirm it — and metadata_violation is always medium.
 */
export const SEVERITY_HIGH_COST = '100';
export const SEVERITY_MEDIUM_COST = '10';

/** Hours after the end of a usage day during which Azure may still restate it (issue: default 72 h). */
export const DEFAULT_SETTLE_HOURS = 72;

/**
 * Default tolerances, for the CLI's defaults: exports carry 10+ decimals, so 0.000001 of a unit hides rounding,
 * and 0.01 % of the expected figure hides a month-length rounding in the 4th digit but not a wrong day (a day of a
 * 31-day month is 3.2 % of it).
 */
export const DEFAULT_TOLERANCE = '0.000001';
export const DEFAULT_TOLERANCE_PCT = '0.01';
