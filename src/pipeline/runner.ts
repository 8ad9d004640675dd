// Executes a pipeline definition: takes the warehouse lock, migrates, runs each stage in order, records the run and
// each stage's timing and row count in the warehouse, and writes the run summary. Throws; never exits.
// Faults: an output folder that cannot be written stops the run before the warehouse is touched; a warehouse file
// that cannot be written (full disk) is a WriteError naming it; a run that a kill stopped is recorded as failed by
// the next one (its row still said 'running').
import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { RunConfig } from '../config.ts';
import { migrate } from '../db/migrate.ts';
import { Warehouse } from '../db/warehouse.ts';
import { InputError, SqlError, WarehouseBusyError, WriteError, errorMessage } from '../errors.ts';
import type { PipelineDefinition } from './definition.ts';
import { acquireWarehouseLock, type WarehouseLock } from './lock.ts';
import type { StageContext, StageResults, StageTiming } from './context.ts';
import type { StageName } from './definition.ts';
import { buildRunPlan } from './run-plan.ts';
import { STAGES } from './stages.ts';
import { duckDbWriteFailure, fileSystemReason, writeFileAtomic } from '../output/files.ts';
import { buildRunSummary, type RunSummary } from '../report/summary.ts';

export interface RunHooks {
  /** Human progress lines (stderr); not called with --quiet. */
  progress?: (message: string) => void;
  /** Called as each stage starts (the terminal progress bar). */
  onStage?: (name: string, index: number, total: number) => void;
}

export function newRunId(now = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

export async function runPipeline(
  pipeline: PipelineDefinition,
  config: RunConfig,
  hooks: RunHooks = {},
): Promise<RunSummary> {
  checkRequiredParameters(pipeline, config);
  if (pipeline.stages.some((stage) => OUTPUT_STAGES.has(stage))) await checkOutputFolder(config.out);
  const runId = newRunId();
  const progress = hooks.progress ?? (() => undefined);
  const lock: WarehouseLock | undefined =
    config.db === ':memory:' ? undefined : await acquireWarehouseLock(config.db, runId);
  try {
    const wh = await openWarehouse(config);
    try {
      await migrate(wh);
      await recordInterruptedRuns(wh, runId);
      return await executeStages(wh, pipeline, config, runId, progress, hooks.onStage);
    } catch (error) {
      throw asWarehouseWriteError(error, config.db);
    } finally {
      wh.close();
    }
  } finally {
    await lock?.release();
  }
}

/** Stages that read the run's inputs: the run plan is built after them, before any other stage. */
const INPUT_STAGES: ReadonlySet<StageName> = new Set(['ingest', 'inventory', 'transactions']);

/** Stages that write into --out. */
const OUTPUT_STAGES: ReadonlySet<string> = new Set(['export', 'report', 'evidence']);

/**
 * Fail at once, before any work, when the output folder cannot be written (read-only, beneath a file, no
 * permission): otherwise the run would find out only at its last stages. Creates the folder, writes and removes a
 * probe file (permission bits alone do not tell: root ignores them).
 */
async function checkOutputFolder(out: string): Promise<void> {
  const probe = join(out, `.recon-write-check-${process.pid}`);
  try {
    await mkdir(out, { recursive: true });
    await writeFile(probe, '');
    await rm(probe, { force: true });
  } catch (error) {
    const reason = fileSystemReason(error);
    if (reason === undefined) throw error;
    throw new WriteError(`cannot write to the output folder ${out}: ${reason}`, { cause: error });
  }
}

/** A DuckDB failure to write the warehouse or its write-ahead log (full disk, size limit) as a WriteError naming it. */
function asWarehouseWriteError(error: unknown, db: string): unknown {
  if (!(error instanceof SqlError) || db === ':memory:') return error;
  const failure = duckDbWriteFailure(error);
  const warehouse = resolve(db);
  const path = failure === undefined ? undefined : resolve(failure.path);
  if (failure === undefined || (path !== warehouse && !path?.startsWith(`${warehouse}.`))) return error;
  return new WriteError(`cannot write the warehouse ${failure.path}: ${failure.reason} (in ${error.stage})`, {
    cause: error,
  });
}

/**
 * A run whose row still says 'running' was stopped without recording its outcome (killed, or the warehouse could
 * not be written even to say so). This run holds the warehouse, so that run is not alive: record it as failed.
 */
async function recordInterruptedRuns(wh: Warehouse, runId: string): Promise<void> {
  await wh.run(
    `update recon_run set status = 'failed', error_message = $1 where status = 'running'`,
    [
      `interrupted: the run stopped without recording its outcome (killed, or the warehouse could not be written); found by run ${runId}`,
    ],
    { stage: 'run' },
  );
}

function checkRequiredParameters(pipeline: PipelineDefinition, config: RunConfig): void {
  for (const parameter of pipeline.requires ?? []) {
    if (parameter === 'month' && config.month === undefined) {
      throw new InputError(`pipeline ${pipeline.name} needs --month YYYY-MM`);
    }
    if (parameter === 'resource' && config.resources.length === 0) {
      throw new InputError(`pipeline ${pipeline.name} needs --resource <id-or-prefix>`);
    }
  }
}

async function openWarehouse(config: RunConfig): Promise<Warehouse> {
  try {
    return await Warehouse.open({ path: config.db, threads: config.threads, memoryLimit: config.memoryLimit });
  } catch (error) {
    // DuckDB holds an OS lock on the file too: a process that is not a recon run (a notebook, a BI tool) may own it.
    if (error instanceof SqlError && /lock/i.test(errorMessage(error.cause))) {
      throw new WarehouseBusyError(`warehouse ${config.db} is locked by another process: ${errorMessage(error.cause)}`);
    }
    throw asWarehouseWriteError(error, config.db);
  }
}

async function executeStages(
  wh: Warehouse,
  pipeline: PipelineDefinition,
  config: RunConfig,
  runId: string,
  progress: (message: string) => void,
  onStage: RunHooks['onStage'],
): Promise<RunSummary> {
  const startedAt = new Date();
  await wh.run(
    `insert into recon_run (run_id, pipeline, parameters, started_at, status) values ($1, $2, $3, $4, 'running')`,
    [runId, pipeline.name, JSON.stringify(config), isoTimestamp(startedAt)],
    { stage: 'run' },
  );
  const results: StageResults = {};
  const timings: StageTiming[] = [];
  const context: StageContext = { pipeline, wh, config, runId, progress, results, timings, warnings: [] };
  try {
    for (const [index, name] of pipeline.stages.entries()) {
      // The plan (scope, months, month plan, fingerprint, output folder) is built once, eagerly, as soon as the
      // inputs are read, and passed to every later stage in the context: no stage computes it for another.
      if (!INPUT_STAGES.has(name)) context.plan ??= await buildRunPlan(wh, config, pipeline.name, context.warnings);
      onStage?.(name, index, pipeline.stages.length);
      const stageStart = process.hrtime.bigint();
      progress(`${name}: started`);
      const rows = await STAGES[name](context);
      const seconds = Number(process.hrtime.bigint() - stageStart) / 1e9;
      timings.push({ name, seconds: Math.round(seconds * 1000) / 1000, rows });
      await wh.run(
        `insert into recon_run_stage (run_id, stage_name, started_at, seconds, row_count) values ($1, $2, $3, $4, $5)`,
        [runId, name, isoTimestamp(startedAt), String(timings.at(-1)?.seconds ?? 0), rows],
        { stage: 'run' },
      );
      progress(`${name}: done in ${seconds.toFixed(2)} s (${rows.toLocaleString('en-US')} rows)`);
    }
    context.plan ??= await buildRunPlan(wh, config, pipeline.name, context.warnings);
    const summary = await buildRunSummary(context, 'succeeded');
    // The report stage wrote summary.json before its own timing existed: rewrite it with every stage.
    if (pipeline.stages.includes('report')) {
      await writeFileAtomic(join(context.plan.outDir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
    }
    await finishRun(wh, runId, 'succeeded', undefined, summary);
    return summary;
  } catch (error) {
    await finishRun(wh, runId, 'failed', errorMessage(error), undefined).catch(() => undefined);
    throw error;
  }
}

async function finishRun(
  wh: Warehouse,
  runId: string,
  status: 'succeeded' | 'failed',
  message: string | undefined,
  summary: RunSummary | undefined,
): Promise<void> {
  await wh.run(
    `update recon_run set finished_at = $2, status = $3, error_message = $4, summary = $5 where run_id = $1`,
    [runId, isoTimestamp(new Date()), status, message ?? null, summary ? JSON.stringify(summary) : null],
    { stage: 'run' },
  );
}

function isoTimestamp(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}
