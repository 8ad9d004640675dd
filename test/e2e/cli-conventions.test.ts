// The command line as a person meets it (issue 16 "CLI conventions", issue 11 "Operation"): --version, help with
// examples, suggestions on typos, a --db that is not a warehouse, explain by prefix and as JSON, the findings
// listing, and never a stack trace.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PublicFinding } from '../../src/report/finding.ts';
import { recon, RECON_JS, ROOT, SAMPLE_INPUTS, workDir, type CliResult } from './helpers.ts';

const STACK_FRAME = /\n\s+at .+[:(]/;

function expectOneLine(result: CliResult, code: number, pattern: RegExp): void {
  expect(result.code, result.stderr).toBe(code);
  expect(result.stderr).not.toMatch(STACK_FRAME);
  expect(result.stderr).not.toContain('internal');
  expect(result.stderr.trimEnd().split('\n'), result.stderr).toHaveLength(1);
  expect(result.stderr).toMatch(pattern);
}

describe('recon --version and --help', () => {
  it('prints the package version', async () => {
    const { version } = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const result = await recon(['--version'], ROOT);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(`recon ${version}`);
  });

  it.each([
    [['--help'], /recon findings/],
    [['run', '--help'], /--tolerance-pct/],
    [['explain', '--help'], /prefix/],
    [['findings', '--help'], /--severity/],
    [['run', 'nightly', '--help'], /nightly/],
    [['run', 'dispute', '--help'], /--resource/],
  ])('%j: a usage line, examples and the exit codes', async (args, own) => {
    const result = await recon(args, ROOT);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Usage: recon/m);
    expect(result.stdout).toMatch(/Examples:\n(\s+recon .+\n){2,}/);
    expect(result.stdout).toContain('Exit codes:');
    expect(result.stdout).toMatch(own);
  });

  it('describes each built-in pipeline in its own help', async () => {
    const dispute = await recon(['run', 'dispute', '--help'], ROOT);
    const nightly = await recon(['run', 'nightly', '--help'], ROOT);
    const [disputeTitle, disputeStages, disputeNeeds] = dispute.stdout.split('\n');
    const [nightlyTitle, nightlyStages] = nightly.stdout.split('\n');
    expect(disputeTitle).toMatch(/^Pipeline dispute: .*evidence pack/);
    expect(disputeStages).toMatch(/^Stages: ingest → inventory → .* → evidence$/);
    expect(disputeNeeds).toBe('It needs --month and --resource.');
    expect(nightlyTitle).toMatch(/^Pipeline nightly: /);
    expect(nightlyTitle).not.toContain('evidence');
    expect(nightlyStages).toMatch(/^Stages: ingest → .* → report$/);
  });
});

describe('mistakes get one line in recon words, with a suggestion (exit 2)', () => {
  it.each([
    [['frobnicate'], /recon: error: unknown command 'frobnicate'; run 'recon --help'/],
    [['explian', 'abc'], /unknown command 'explian' \(did you mean 'explain'\?\)/],
    [['run', 'nightley'], /unknown pipeline 'nightley' \(did you mean 'nightly'\?\)/],
    [
      ['run', 'nightly', '--tolerence', '1'],
      /unknown option '--tolerence' for recon run \(did you mean '--tolerance'\?\)/,
    ],
    [['run', 'nightly', '--db'], /option '--db' needs a value/],
    [['run', 'nightly', '--quiet=yes'], /option '--quiet' takes no value/],
    [['findings', '--kinds', 'x'], /unknown option '--kinds' for recon findings \(did you mean '--kind'\?\)/],
    [['run', 'nightly', '--tolerance', '1e-40'], /--tolerance allows at most 12 decimal places, got '1e-40'/],
    [['run', 'nightly', '--memory-limit', '1KB'], /--memory-limit must be at least 256MB, got '1KB'/],
    [['findings', '--output', 'xml'], /--output must be one of table, json, csv, got 'xml'/],
  ])('%j', async (args, message) => {
    const dir = await workDir();
    const result = await recon(args, dir);
    expectOneLine(result, 2, message);
    expect(result.stderr).not.toContain('To specify a positional argument');
  });
});

describe('--db must be a DuckDB warehouse or a new path', () => {
  it.each([
    ['export.csv', 'Date,MeterId,Quantity\n2026-10-01,abc,1\n', /it looks like a CSV/],
    ['findings.json', '[{"finding_id": "x"}]\n', /it looks like a JSON/],
    ['part.parquet', 'PAR1\u0000\u0000PAR1', /it looks like a Parquet/],
    ['empty.duckdb', '', /it is empty/],
    ['export.csv.gz', gzipSync('Date\n2026-10-01\n'), /it looks like a gzip/],
  ])('refuses %s and leaves it untouched', async (name, content, kind) => {
    const dir = await workDir();
    await writeFile(join(dir, name), content);
    const before = await readFile(join(dir, name));
    for (const args of [
      ['run', 'nightly', ...SAMPLE_INPUTS, '--quiet', '--db', name],
      ['explain', 'abcd', '--db', name],
      ['findings', '--db', name],
    ]) {
      const result = await recon(args, dir);
      expectOneLine(result, 2, new RegExp(`--db ${name.replaceAll('.', '\\.')} is not a DuckDB warehouse`));
      expect(result.stderr).toMatch(kind);
    }
    expect(await readFile(join(dir, name))).toEqual(before);
  });
});

describe('explain and findings on a warehouse', () => {
  let dir: string;
  let findings: PublicFinding[];

  beforeAll(async () => {
    dir = await workDir();
    const run = await recon(['run', 'nightly', ...SAMPLE_INPUTS, '--quiet'], dir);
    expect(run.code, run.stderr).toBe(0);
    findings = JSON.parse(await readFile(join(dir, 'out', 'findings.json'), 'utf8')) as PublicFinding[];
  }, 120_000);

  const resize = (): PublicFinding => {
    const found = findings.find((f) => f.kind === 'quantity_mismatch' && f.usage_date === '2026-10-10');
    if (!found) throw new Error('sample month lost its resize finding');
    return found;
  };

  it('writes findings.csv as UTF-8 with BOM, with the unit beside the quantities', async () => {
    const csv = await readFile(join(dir, 'out', 'findings.csv'), 'utf8');
    expect(csv.startsWith('\uFEFFfinding_id,')).toBe(true);
    const [header = '', ...rows] = csv.slice(1).trimEnd().split('\r\n');
    expect(header).toContain('expected_quantity,delta_quantity,unit,billed_cost');
    const unitColumn = header.split(',').indexOf('unit');
    const resizeRow = rows.find((row) => row.startsWith(resize().finding_id));
    expect(resizeRow?.split(',')[unitColumn]).toBe('GiB-hours');
  });

  it('takes a unique id prefix, like git', async () => {
    const id = resize().finding_id;
    const prefix = [6, 7, 8, 9, 10]
      .map((length) => id.slice(0, length))
      .find((candidate) => findings.filter((f) => f.finding_id.startsWith(candidate)).length === 1);
    const result = await recon(['explain', prefix ?? id], dir);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`Finding ${id}`);
  });

  it('lists the candidates of an ambiguous prefix', async () => {
    // Two ids share a first hex digit among 44 findings (pigeonhole on 16 digits).
    const byFirst = new Map<string, string[]>();
    for (const f of findings)
      byFirst.set(f.finding_id[0] ?? '', [...(byFirst.get(f.finding_id[0] ?? '') ?? []), f.finding_id]);
    const [first, ids] = [...byFirst].find(([, list]) => list.length > 1) ?? ['', []];
    const result = await recon(['explain', first], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`finding id prefix '${first}' is ambiguous: ${ids.length} findings`));
    for (const id of ids.slice(0, 5)) expect(result.stderr).toContain(id);
    expect(result.stderr).not.toMatch(STACK_FRAME);
  });

  it('prints JSON with --json, exact decimals kept', async () => {
    const f = resize();
    const result = await recon(['explain', f.finding_id, '--json'], dir);
    expect(result.code, result.stderr).toBe(0);
    const explained = JSON.parse(result.stdout) as {
      finding: PublicFinding & { unit: string };
      expected: { sources: unknown[] };
      billed: unknown[];
    };
    expect(explained.finding.finding_id).toBe(f.finding_id);
    expect(explained.finding.expected_quantity).toBe(f.expected_quantity);
    expect(explained.finding.unit).toBe('GiB-hours');
    expect(explained.expected.sources.length).toBeGreaterThan(0);
    expect(explained.billed.length).toBeGreaterThan(0);
  });

  it('prints numbers for a person in the terminal', async () => {
    const resized = await recon(['explain', resize().finding_id], dir);
    expect(resized.stdout).toMatch(/^ {2}expected {9}100,704 GiB-hours$/m);
    expect(resized.stdout).toMatch(/^ {2}money at stake {3}3\.37 EUR$/m);
    // Exact figures like 66.0645161290322581 are for JSON; a person reads 66.0645 GiB-months.
    const monthly = findings.find((f) => /\.\d{5,}/.test(f.expected_quantity ?? ''));
    expect(monthly).toBeDefined();
    const text = (await recon(['explain', monthly?.finding_id ?? ''], dir)).stdout;
    expect(text).toMatch(/^ {2}expected {9}\d{1,3}(,\d{3})*\.\d{1,4} GiB-months$/m);
    expect(text).not.toContain(monthly?.expected_quantity ?? '');
  });

  it.each([[['zz']], [['abc', 'def']], [['']], [['0000000000000000']]])(
    'never a stack trace: explain %j',
    async (args) => {
      const result = await recon(['explain', ...args], dir);
      expect(result.code).toBe(2);
      expect(result.stderr).not.toMatch(STACK_FRAME);
      expect(result.stderr).not.toContain('internal');
    },
  );

  it('explain while a run holds the warehouse: exit 3 naming the holder', async () => {
    const lock = join(dir, 'recon.duckdb.lock');
    await writeFile(
      lock,
      JSON.stringify({ pid: process.pid, host: hostname(), runId: 'night-run-42', startedAt: '2026-11-01T02:00:00Z' }),
    );
    try {
      const result = await recon(['explain', resize().finding_id], dir);
      expectOneLine(result, 3, /in use by run night-run-42/);
      expect((await recon(['findings'], dir)).code).toBe(3);
    } finally {
      await import('node:fs/promises').then(({ rm }) => rm(lock));
    }
  });

  it('explain and findings leave the warehouse as they found it (they only read)', async () => {
    const digest = async (): Promise<string> =>
      createHash('sha256')
        .update(await readFile(join(dir, 'recon.duckdb')))
        .digest('hex');
    const before = await digest();
    expect((await recon(['explain', resize().finding_id], dir)).code).toBe(0);
    expect((await recon(['findings'], dir)).code).toBe(0);
    expect(await digest()).toBe(before);
  });

  it('explain works on a read-only warehouse (a read-only mount, so even root cannot write)', async () => {
    const probe = spawnSync('unshare', ['-m', 'true']);
    if (probe.status !== 0) return; // no mount namespaces here: the digest test above still proves read-only use
    const ro = join(dir, 'ro');
    await mkdir(ro, { recursive: true });
    await writeFile(join(ro, 'recon.duckdb'), await readFile(join(dir, 'recon.duckdb')));
    const script = `mount --bind -o ro ${ro} ${ro} && cd ${ro} && ${process.execPath} ${RECON_JS} explain ${resize().finding_id}`;
    const result = spawnSync('unshare', ['-m', 'sh', '-c', script], { encoding: 'utf8' });
    expect(result.stderr).not.toMatch(STACK_FRAME);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain(resize().finding_id);
  });

  it('lists findings as a table, filtered', async () => {
    const result = await recon(['findings', '--kind', 'quantity_mismatch'], dir);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+MONTH\s+DAY\s+KIND\s+SEVERITY/);
    const expected = findings.filter((f) => f.kind === 'quantity_mismatch');
    for (const f of expected) expect(result.stdout).toContain(f.finding_id.slice(0, 8));
    expect(result.stdout).toContain(`${expected.length} findings`);
    expect(result.stdout).not.toContain('unverifiable');
  });

  it('lists findings as JSON and CSV with exact values, filtered by severity, resource and month', async () => {
    const json = await recon(['findings', '--output', 'json', '--severity', 'high'], dir);
    expect(json.code, json.stderr).toBe(0);
    const listed = JSON.parse(json.stdout) as (PublicFinding & { unit: string | null })[];
    // findings.json's objects, in its order, each with its unit.
    expect(listed.map(({ unit: _unit, ...finding }) => finding)).toEqual(findings.filter((f) => f.severity === 'high'));
    expect(listed.map((f) => f.unit)).toEqual(listed.map(() => 'GiB-months'));

    const resource = resize().billing_resource_id ?? '';
    const byResource = JSON.parse(
      (await recon(['findings', '--output', 'json', '--resource', resource.toUpperCase(), '--month', '2026-10'], dir))
        .stdout,
    ) as PublicFinding[];
    expect(byResource.map((f) => f.finding_id).sort()).toEqual(
      findings
        .filter((f) => f.billing_resource_id?.startsWith(resource))
        .map((f) => f.finding_id)
        .sort(),
    );
    const none = await recon(['findings', '--output', 'json', '--month', '2026-09'], dir);
    expect(JSON.parse(none.stdout)).toEqual([]);

    const csv = await recon(['findings', '--output', 'csv', '--kind', 'quantity_mismatch'], dir);
    expect(csv.code).toBe(0);
    expect(csv.stdout.startsWith('finding_id,')).toBe(true); // no BOM on a pipe: it is for programs
    expect(csv.stdout.trimEnd().split('\r\n')).toHaveLength(
      1 + findings.filter((f) => f.kind === 'quantity_mismatch').length,
    );
    expect(csv.stdout).toContain(resize().expected_quantity ?? 'missing');
  });

  it('refuses an unknown kind or severity with a suggestion', async () => {
    expectOneLine(await recon(['findings', '--kind', 'quantity_mismatc'], dir), 2, /did you mean 'quantity_mismatch'/);
    expectOneLine(await recon(['findings', '--severity', 'hihg'], dir), 2, /did you mean 'high'/);
  });

  it('says so when there is no warehouse', async () => {
    const empty = await workDir();
    expectOneLine(await recon(['findings'], empty), 2, /no warehouse at recon\.duckdb/);
  });
});
