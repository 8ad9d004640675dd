// What every stage of a run gets: the warehouse, the run's configuration and its plan (run-plan.ts), built by the
// runner before the first stage that reads the scope. Stages add their reports to `results` and nothing else.
import type { RunConfig } from '../config.ts';
import type { Warehouse } from '../db/warehouse.ts';
import type { BilledReport } from '../billed/index.ts';
import type { ExportResult } from '../export/index.ts';
import type { IngestReport } from '../ingest/index.ts';
import type { InventoryReport, TransactionsReport } from '../inventory/index.ts';
import type { RecomputeReport } from '../recompute/index.ts';
import type { PipelineDefinition } from './definition.ts';
import type { RunPlan } from './run-plan.ts';

export interface StageResults {
  ingest?: IngestReport;
  inventory?: InventoryReport;
  transactions?: TransactionsReport;
  recompute?: RecomputeReport;
  billed?: BilledReport;
  export?: ExportResult;
}

export interface StageTiming {
  name: string;
  seconds: number;
  rows: number;
}

export interface StageContext {
  pipeline: PipelineDefinition;
  wh: Warehouse;
  config: RunConfig;
  runId: string;
  progress: (message: string) => void;
  results: StageResults;
  timings: StageTiming[];
  /** Plain-language warnings for the run summary. */
  warnings: string[];
  /** The run's scope, months, month plan, fingerprint and output folder: set by the runner once the inputs are read. */
  plan?: RunPlan;
}

/** The run plan; a stage that reads the scope runs after the runner built it (runner.ts), never before. */
export function planOf(context: StageContext): RunPlan {
  if (context.plan === undefined) throw new Error('internal: the run plan is read before the runner built it');
  return context.plan;
}
