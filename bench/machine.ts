// A description of the machine a bench ran on, for bench/RESULTS.md: figures mean nothing without it.
import { cpus, freemem, loadavg, release, totalmem } from 'node:os';
import { Warehouse } from '../src/db/warehouse.ts';

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: string;
  os: string;
  node: string;
  duckdb: string;
  /** 1-minute load average when the bench started: other work on the machine skews every figure. */
  loadAtStart: string;
  freeMemoryGiB: string;
}

export async function describeMachine(): Promise<Machine> {
  const wh = await Warehouse.open({ path: ':memory:' });
  const version = await wh.row<{ v: string }>('select version() as v');
  wh.close();
  const gib = (bytes: number) => (bytes / 1024 ** 3).toFixed(1);
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    memoryGiB: gib(totalmem()),
    os: `${process.platform} ${release()}`,
    node: process.version,
    duckdb: version?.v ?? 'unknown',
    loadAtStart: (loadavg()[0] ?? 0).toFixed(2),
    freeMemoryGiB: gib(freemem()),
  };
}
