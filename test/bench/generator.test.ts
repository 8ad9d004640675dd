// The benchmark data generator end to end: a small generated month goes through the real nightly pipeline
// (bin/recon.js), and recon must report exactly the planted discrepancies — each with the kind answers.json gives,
// and nothing else (no unverifiable, no unmapped noise). Also: the same options write byte-identical files, and the
// manifest's counts are the files' counts.
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { generate, type AnswersFile, type GenerateOptions, type GenerateResult } from '../../bench/generate/index.ts';
import { InputError } from '../../src/errors.ts';
import { findingKey, type FindingKey } from '../../bench/answers.ts';
import { recon } from '../e2e/helpers.ts';

interface Summary {
  inputs: {
    rows_read: number;
    rows_quarantined: number;
    inventory_records_quarantined: number;
    transaction_rows_quarantined: number;
  };
}

interface Manifest {
  byteCount: number;
  blobCount: number;
  dataRowCount: number;
  exportConfig: { type: string };
  blobs: { blobName: string; byteCount: number; dataRowCount: number }[];
}

const ALL_KINDS = [
  'quantity_mismatch',
  'missing_charge',
  'unexpected_charge',
  'duplicate_charge',
  'unit_mismatch',
  'wrong_meter',
  'price_mismatch',
  'unmapped_meter',
  'unverifiable',
  'metadata_violation',
];

const scratch: string[] = [];

async function workDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'recon-gen-'));
  scratch.push(dir);
  return dir;
}

afterAll(async () => {
  for (const dir of scratch) await rm(dir, { recursive: true, force: true });
});

async function readJson<T>(path: string): Promise<T> {
  return JSON.parse(await readFile(path, 'utf8')) as T;
}

/** Runs the nightly pipeline on a generated dataset; returns its findings and run summary. */
async function nightly(data: GenerateResult): Promise<{ findings: FindingKey[]; summary: Summary }> {
  const work = await workDir();
  const out = join(work, 'out');
  const result = await recon(
    [
      'run',
      'nightly',
      ...['--exports', data.exportsDir, '--inventory', data.inventoryDir, '--transactions', data.transactionsDir],
      ...['--db', join(work, 'w.duckdb'), '--out', out, '--quiet'],
    ],
    work,
  );
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return {
    findings: await readJson<FindingKey[]>(join(out, 'findings.json')),
    summary: await readJson<Summary>(join(out, 'summary.json')),
  };
}

async function expectExactlyThePlanted(data: GenerateResult): Promise<AnswersFile> {
  const answers = await readJson<AnswersFile>(data.answersPath);
  const { findings, summary } = await nightly(data);
  expect(summary.inputs.rows_read).toBe(data.rowsWritten);
  expect(summary.inputs.rows_quarantined).toBe(0);
  expect(summary.inputs.inventory_records_quarantined).toBe(0);
  expect(summary.inputs.transaction_rows_quarantined).toBe(0);
  // every planted discrepancy found with its kind, and no other finding at all
  expect(findings.map(findingKey).sort()).toEqual(answers.discrepancies.map(findingKey).sort());
  expect(new Set(answers.discrepancies.map((a) => a.kind))).toEqual(new Set(ALL_KINDS));
  return answers;
}

async function fileHashes(root: string): Promise<Record<string, string>> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const hashes: Record<string, string> = {};
  for (const entry of entries.filter((e) => e.isFile())) {
    const path = join(entry.parentPath, entry.name);
    hashes[relative(root, path)] = createHash('sha256')
      .update(await readFile(path))
      .digest('hex');
  }
  return hashes;
}

const MCA_MONTH: Omit<GenerateOptions, 'out'> = {
  shares: 40,
  rows: 4500,
  dialect: 'mca',
  month: '2026-10',
  gzip: true,
  partitionMb: 0.6,
  seed: 5,
};

describe('benchmark data generator', () => {
  it('plants discrepancies the nightly run finds exactly: gzip-partitioned MCA, a whole month', async () => {
    const data = await generate({ ...MCA_MONTH, out: await workDir() });
    expect(data.partitions).toBeGreaterThanOrEqual(2);
    expect(data.rowsWritten).toBe(4500);
    expect(data.filesRows + data.noiseRows).toBe(4500);
    const answers = await expectExactlyThePlanted(data);
    // 40 shares × 31 days = 1,240 share-days: fewer than one per 2,000, so one of each plant type
    expect(answers.discrepancies).toHaveLength(11);
    expect(answers.counts.shareDays).toBe(1240);
    // keys as recon keys them: lower-case ARM ids
    for (const a of answers.discrepancies) expect(a.billing_resource_id).toBe(a.billing_resource_id.toLowerCase());
  });

  it('plants discrepancies the nightly run finds exactly: FOCUS, hourly changes, 10 days of a 28-day month', async () => {
    const data = await generate({
      shares: 30,
      rows: 1500,
      dialect: 'focus',
      month: '2027-02',
      days: 10,
      changes: 'hourly',
      seed: 9,
      out: await workDir(),
    });
    const answers = await expectExactlyThePlanted(data);
    expect(answers.parameters).toMatchObject({ days: 10, changes: 'hourly', dialect: 'focus' });
    for (const a of answers.discrepancies)
      expect(a.usage_date >= '2027-02-01' && a.usage_date <= '2027-02-10').toBe(true);
  });

  it('is deterministic: the same options write byte-identical files', async () => {
    const options = { ...MCA_MONTH, rows: 3600, days: 25 };
    const first = await generate({ ...options, out: await workDir() });
    const second = await generate({ ...options, out: await workDir() });
    const a = await fileHashes(first.out);
    const b = await fileHashes(second.out);
    expect(Object.keys(a).length).toBeGreaterThanOrEqual(6);
    expect(b).toEqual(a);
    const other = await generate({ ...options, seed: 6, out: await workDir() });
    expect((await fileHashes(other.out))['answers.json']).not.toBe(a['answers.json']);
    const clean = await generate({ ...options, noPlant: true, out: await workDir() });
    const answers = await readJson<AnswersFile>(clean.answersPath);
    expect(answers.discrepancies).toEqual([]);
    expect(answers.counts.planted).toBe(0);
  });

  it("writes a manifest whose counts are its files' counts", async () => {
    const data = await generate({ ...MCA_MONTH, rows: 4000, days: 28, out: await workDir() });
    const manifest = await readJson<Manifest>(data.manifestPath);
    expect(manifest.exportConfig.type).toBe('ActualCost');
    expect(manifest.blobCount).toBe(manifest.blobs.length);
    expect(manifest.blobs.length).toBe(data.partitions);
    expect(manifest.blobs.length).toBeGreaterThanOrEqual(2);
    let bytes = 0;
    let rows = 0;
    for (const blob of manifest.blobs) {
      // blobName is container-relative: the dataset folder is the container
      const path = join(data.out, blob.blobName);
      const stored = await readFile(path);
      expect((await stat(path)).size).toBe(blob.byteCount);
      const text = gunzipSync(stored).toString('utf8');
      expect(text.length).toBeLessThan(0.6 * 1_000_000);
      const lines = text.split('\r\n');
      expect(lines.pop()).toBe('');
      expect(lines[0]?.startsWith('\ufeffinvoiceId,previousInvoiceId,billingAccountId')).toBe(true);
      expect(lines.length - 1).toBe(blob.dataRowCount);
      bytes += blob.byteCount;
      rows += blob.dataRowCount;
    }
    expect(manifest.byteCount).toBe(bytes);
    expect(manifest.dataRowCount).toBe(rows);
    expect(rows).toBe(4000);
  });

  it('refuses a row count below what the shares produce, naming the options to change', async () => {
    await expect(generate({ shares: 40, rows: 500, out: await workDir() })).rejects.toThrow(InputError);
    await expect(generate({ shares: 40, rows: 500, out: await workDir() })).rejects.toThrow(
      /--rows 500 cannot hold the \d+ Files and snapshot rows .*raise --rows .* or lower --shares/,
    );
    await expect(generate({ shares: 40, rows: 9000, days: 32, out: await workDir() })).rejects.toThrow(/--days/);
  });
});
