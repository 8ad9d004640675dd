// generate(): a deterministic benchmark dataset for recon — a month-to-date Cost Management export (EA, MCA or
// FOCUS; partitioned, optionally gzip) with a manifest, the canonical inventory and transaction CSVs that explain
// its Files and snapshot charges, and answers.json listing the planted discrepancies.
//
// Two passes over the same seeded simulation: the first counts the Files rows of each day (and fails early when
// --rows cannot hold them), the second streams everything to disk — Files rows interleaved with unrelated noise rows
// up to --rows — so no row is ever held in memory.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../../src/errors.ts';
import { answersJson } from './answers.ts';
import { Calendar } from './calendar.ts';
import { HAS_BOM, rowFormatter } from './dialects.ts';
import { buildFleet, type Fleet } from './fleet.ts';
import { DISK_SNAPSHOT_HEADER, SHARE_STATE_HEADER, TRANSACTIONS_HEADER } from './inventory.ts';
import { manifestJson, type RunIdentity } from './manifest.ts';
import { buildNoisePools, NoiseSource } from './noise.ts';
import { resolveOptions, type GenerateOptions, type ResolvedOptions } from './options.ts';
import { Prng } from './prng.ts';
import type { Row } from './rows.ts';
import { LineFile, PartitionedExport } from './write-export.ts';
import { planMonth, World, type InventorySinks, type MonthPlan } from './world.ts';

export interface GenerateResult {
  /** the output folder */
  out: string;
  /** pass to recon --exports */
  exportsDir: string;
  /** the export run folder holding manifest.json and the partitions */
  runDir: string;
  manifestPath: string;
  /** pass to recon --inventory (share_state.csv, disk_snapshot.csv) */
  inventoryDir: string;
  /** pass to recon --transactions (transactions.csv) */
  transactionsDir: string;
  answersPath: string;
  /** data rows in the export: Files and snapshot rows + noise rows */
  rowsWritten: number;
  filesRows: number;
  noiseRows: number;
  partitions: number;
  /** export bytes as stored (compressed for --gzip), = manifest byteCount */
  exportBytes: number;
  /** export bytes before compression */
  uncompressedBytes: number;
  inventoryRows: number;
  transactionRows: number;
  planted: number;
  /** wall time of the generation */
  seconds: number;
}

export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  const started = process.hrtime.bigint();
  const o = resolveOptions(options);
  const progress = options.onProgress ?? (() => undefined);
  const calendar = new Calendar(o.month);
  const fleet = buildFleet(o.shares);
  const plan = planMonth(fleet, o, calendar);
  progress(
    `${fleet.shares.length} shares in ${fleet.resources.length} billed resources, ${plan.snapshots.length} disk snapshots, ` +
      `${plan.plants.plants.length} planted discrepancies`,
  );

  // pass 1: count each day's Files rows (its World is dropped before pass 2 builds its own)
  const filesPerDay = await countFilesRows(fleet, plan, o, calendar);
  const filesRows = filesPerDay.reduce((a, b) => a + b, 0);
  if (o.rows > 0 && filesRows > o.rows) {
    throw new InputError(
      `--rows ${o.rows} cannot hold the ${filesRows} Files and snapshot rows that ${o.shares} shares produce over ` +
        `${o.days} days: raise --rows to at least ${filesRows} or lower --shares`,
    );
  }
  const noiseRows = o.rows > 0 ? o.rows - filesRows : 0;
  progress(`pass 1: ${filesRows} Files rows, ${noiseRows} noise rows`);

  // pass 2: write
  const paths = outputPaths(o);
  for (const path of [paths.exportsDir, paths.inventoryDir, paths.transactionsDir, paths.answersPath]) {
    await rm(path, { recursive: true, force: true });
  }
  const run = runIdentity(o, plan, calendar);
  const runDir = join(o.out, run.folder);
  await mkdir(runDir, { recursive: true });
  await mkdir(paths.inventoryDir, { recursive: true });
  await mkdir(paths.transactionsDir, { recursive: true });

  const shareFile = new LineFile(join(paths.inventoryDir, 'share_state.csv'), '\n', false);
  const diskFile = new LineFile(join(paths.inventoryDir, 'disk_snapshot.csv'), '\n', false);
  const txFile = new LineFile(join(paths.transactionsDir, 'transactions.csv'), '\n', false);
  shareFile.push(SHARE_STATE_HEADER);
  diskFile.push(DISK_SNAPSHOT_HEADER);
  txFile.push(TRANSACTIONS_HEADER);
  const sinks: InventorySinks = { shares: shareFile, disks: diskFile, transactions: txFile };

  const formatter = rowFormatter(o.dialect, calendar);
  const exporter = new PartitionedExport(runDir, formatter.header, HAS_BOM[o.dialect], o.gzip, o.partitionBytes);
  const pools = buildNoisePools(fleet);
  const writing = new World(fleet, plan, o, calendar);
  await writing.begin(sinks);
  let written = 0;
  for (let day = 1; day <= o.days; day++) {
    await writing.simulateDay(day, sinks);
    const files = writing.rowsOfDay(day);
    const noise = new NoiseSource(pools, day, o.month.days, o.seed, plan.monthKey);
    const mix = new Prng(o.seed, plan.monthKey, 9, day);
    let filesLeft = filesPerDay[day - 1] ?? 0;
    let noiseLeft = noiseOfDay(noiseRows, o.days, day);
    // a realistic order: day by day, Files rows interleaved with everything else
    while (filesLeft + noiseLeft > 0) {
      let row: Row;
      if (mix.int(0, filesLeft + noiseLeft - 1) < filesLeft) {
        const next = files.next();
        if (next.done) throw new Error(`day ${day}: fewer Files rows than counted in pass 1`);
        row = next.value;
        filesLeft--;
      } else {
        row = noise.next();
        noiseLeft--;
      }
      if (exporter.push(formatter.format(row))) await exporter.flush();
      written++;
    }
    if (!files.next().done) throw new Error(`day ${day}: more Files rows than counted in pass 1`);
    if (day % 5 === 0 || day === o.days) progress(`day ${day}/${o.days}: ${written} rows written`);
  }
  await writing.end(sinks);
  const blobs = await exporter.close();
  await shareFile.close();
  await diskFile.close();
  await txFile.close();

  const manifestPath = join(runDir, 'manifest.json');
  const containerSubscription = fleet.subscriptions[0]?.id ?? '00000000-0000-0000-0000-000000000000';
  await writeFile(manifestPath, manifestJson(o.dialect, run, calendar, o.days, o.gzip, blobs, containerSubscription));
  const counts = {
    shares: fleet.shares.length,
    billingResources: fleet.resources.length,
    diskSnapshots: plan.snapshots.length,
    shareDays: fleet.shares.length * o.days,
    filesRows,
    noiseRows,
    totalRows: written,
    partitions: blobs.length,
    inventoryRows: shareFile.lines + diskFile.lines - 2,
    transactionRows: txFile.lines - 1,
  };
  await writeFile(paths.answersPath, answersJson(o, plan.plants, counts));

  return {
    out: o.out,
    exportsDir: paths.exportsDir,
    runDir,
    manifestPath,
    inventoryDir: paths.inventoryDir,
    transactionsDir: paths.transactionsDir,
    answersPath: paths.answersPath,
    rowsWritten: written,
    filesRows,
    noiseRows,
    partitions: blobs.length,
    exportBytes: blobs.reduce((sum, b) => sum + b.byteCount, 0),
    uncompressedBytes: blobs.reduce((sum, b) => sum + b.uncompressedBytes, 0),
    inventoryRows: counts.inventoryRows,
    transactionRows: counts.transactionRows,
    planted: plan.plants.plants.length,
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
  };
}

/** Pass 1: the same simulation as pass 2, writing nothing; the number of Files rows of each usage day. */
async function countFilesRows(
  fleet: Fleet,
  plan: MonthPlan,
  o: ResolvedOptions,
  calendar: Calendar,
): Promise<number[]> {
  const counting = new World(fleet, plan, o, calendar);
  await counting.begin(null);
  const filesPerDay: number[] = [];
  for (let day = 1; day <= o.days; day++) {
    await counting.simulateDay(day, null);
    let n = 0;
    for (const _ of counting.rowsOfDay(day)) n++;
    filesPerDay.push(n);
  }
  return filesPerDay;
}

function outputPaths(o: ResolvedOptions) {
  return {
    exportsDir: join(o.out, 'exports'),
    inventoryDir: join(o.out, 'inventory'),
    transactionsDir: join(o.out, 'transactions'),
    answersPath: join(o.out, 'answers.json'),
  };
}

/** Noise rows spread evenly over the days; the first days take the remainder. */
function noiseOfDay(total: number, days: number, day: number): number {
  const base = Math.floor(total / days);
  return base + (day <= total - base * days ? 1 : 0);
}

/** The export run's name, GUID and submission time: delivered in the early hours after the last usage day. */
function runIdentity(o: ResolvedOptions, plan: MonthPlan, calendar: Calendar): RunIdentity {
  const rng = new Prng(o.seed, plan.monthKey, 8, o.days);
  const exportName = `recon-bench-${o.dialect}`;
  const runId = rng.guid();
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const submittedTime = `${calendar.day(o.days + 1).iso}T${pad(rng.int(2, 5))}:${pad(rng.int(0, 59))}:${pad(rng.int(0, 59))}.${pad(rng.int(0, 9999999), 7)}Z`;
  const range = `${calendar.day(1).compact}-${calendar.day(calendar.month.days).compact}`;
  return { exportName, runId, submittedTime, folder: `exports/${exportName}/${range}/${runId}` };
}
