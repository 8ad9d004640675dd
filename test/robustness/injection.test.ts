// Data never becomes code. The real `recon` CLI is run with hostile resource filters, months and file names, and on
// exports whose ids, meter names, units and subscriptions are spreadsheet formulas and HTML/JS payloads; then:
// - filters and file names are only ever data: bound parameters, starts_with (no LIKE wildcards), literal paths;
// - every cell of every CSV recon writes is safe in a spreadsheet, and negative numbers stay numbers;
// - report.html, opened in headless Chromium, shows the hostile text literally and runs none of it;
// - letter.md shows it as Markdown text, not markup.
import { cp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Warehouse } from '../../src/db/warehouse.ts';
import type { PublicFinding } from '../../src/report/finding.ts';
import type { RunSummary } from '../../src/report/summary.ts';
import { recon, SAMPLE, SAMPLE_INPUTS, workDir } from '../e2e/helpers.ts';
import { launchChromium } from '../helpers/browser.ts';
import {
  DELIVERY_IDS,
  FORMULAS,
  HOSTILE_METER_NAME,
  HOSTILE_RESOURCES,
  HOSTILE_SUBSCRIPTION,
  HOSTILE_UNIT,
  hostileSample,
  MARKUP,
  parseCsv,
  REFUND_COST,
  REFUND_QUANTITY,
  SEPARATOR_SPLIT,
} from '../fixtures/robustness/injection/hostile-data.ts';

const V2_ACCOUNT =
  '/subscriptions/7c1f5b2e-4d3a-4e8f-9b6a-2f0e1d3c5a7b/resourceGroups/rg-files-prod/providers/Microsoft.Storage/storageAccounts/stv2ssdprod';
const SUBSCRIPTION = '/subscriptions/7c1f5b2e-4d3a-4e8f-9b6a-2f0e1d3c5a7b';
/** What a spreadsheet evaluates at the start of a cell (OWASP CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

const dirs: string[] = [];
async function newDir(): Promise<string> {
  const dir = await workDir();
  dirs.push(dir);
  return dir;
}

function summaryOf(stdout: string): RunSummary {
  return JSON.parse(stdout) as RunSummary;
}

/** --exports, --inventory and --transactions of a copy of sample-data at `dir`. */
function inputsOf(dir: string): string[] {
  return [
    '--exports',
    join(dir, 'exports'),
    '--inventory',
    join(dir, 'inventory'),
    '--transactions',
    join(dir, 'transactions'),
  ];
}

async function findingsIn(out: string): Promise<PublicFinding[]> {
  return JSON.parse(await readFile(join(out, 'findings.json'), 'utf8')) as PublicFinding[];
}

/** Table names and row counts of the warehouse tables that hold run results. */
async function warehouseState(path: string): Promise<Record<string, string>> {
  const wh = await Warehouse.open({ path });
  try {
    const tables = await wh.rows<{ table_name: string }>(
      "select table_name from duckdb_tables() where schema_name = 'main' order by table_name",
    );
    const state: Record<string, string> = {};
    for (const { table_name } of tables) {
      // query_table takes the name as a value: nothing is spliced into the SQL.
      const row = await wh.row<{ n: string }>('select count(*)::varchar as n from query_table($name)', {
        name: table_name,
      });
      state[table_name] = row?.n ?? 'missing';
    }
    return state;
  } finally {
    wh.close();
  }
}

// The plain sample month: the reference every hostile run is compared with.
let baseDir: string;
let baseFindings: PublicFinding[];
let baseState: Record<string, string>;

beforeAll(async () => {
  baseDir = await newDir();
  const result = await recon(['run', 'nightly', ...SAMPLE_INPUTS, '--quiet'], baseDir);
  expect(result.code, result.stderr).toBe(0);
  baseFindings = await findingsIn(join(baseDir, 'out'));
  baseState = await warehouseState(join(baseDir, 'recon.duckdb'));
});

afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('resource filters and months are data', () => {
  // Quotes, statement breaks, comments, LIKE and glob wildcards, regex metacharacters, backslashes, unicode.
  const HOSTILE_PREFIXES = [
    "x'; drop table finding; --",
    '"); select 1; --',
    "' or '1'='1",
    '%',
    '_',
    '*',
    '/subscriptions/%',
    '/subscriptions/_c1f5b2e-4d3a-4e8f-9b6a-2f0e1d3c5a7b',
    `${SUBSCRIPTION.slice(0, -1)}_`,
    '/subscriptions/.*',
    '\\',
    '/subscriptions\\/7c1f5b2e',
    'é/ü/😀/\u2028',
    'line\nbreak',
  ];

  it('hostile --resource prefixes select nothing, a real one exactly its resources; the warehouse is intact', async () => {
    const dir = await newDir();
    await cp(join(baseDir, 'recon.duckdb'), join(dir, 'recon.duckdb'));
    // The control: a real prefix, upper-cased ('…/STORAGEACCOUNTS/STV2SSD'), so the zeros below are not vacuous.
    const real = V2_ACCOUNT.slice(0, -4).toUpperCase();
    const args = [...HOSTILE_PREFIXES, real].map((prefix) => `--resource=${prefix}`);
    // --month keeps the rebuilt slice to the sample month. (Without it a --resource run also recomputes the
    // inventory's open-ended last day, 2026-11-01, which a full run does not: reported separately, not injection.)
    const result = await recon(['run', 'nightly', ...SAMPLE_INPUTS, '--month', '2026-10', ...args, '--json'], dir);
    expect(result.code, result.stderr).toBe(0);
    const summary = summaryOf(result.stdout);
    expect(summary.status).toBe('succeeded');
    // '%', '_' and '*' are not wildcards and quotes end nothing: only the real prefix's findings are counted.
    const inScope = baseFindings.filter((f) => f.billing_resource_id?.startsWith(real.toLowerCase()));
    expect(inScope.length).toBeGreaterThan(0);
    expect(inScope.length).toBeLessThan(baseFindings.length);
    expect(summary.findings.total).toBe(inScope.length);
    // The scoped run reports into its own folder (out/scoped/<month>_<resources>/), exactly its scope: the plain
    // run's findings of the real prefix, none made up.
    const scopedFolders = await readdir(join(dir, 'out', 'scoped'));
    expect(scopedFolders).toHaveLength(1);
    const reported = await findingsIn(join(dir, 'out', 'scoped', scopedFolders[0] ?? ''));
    for (const finding of reported) expect(baseFindings).toContainEqual(finding);
    for (const finding of inScope) expect(reported).toContainEqual(finding);
    expect(reported).toHaveLength(inScope.length);
    // Every table is still there with the rows it held (the run itself is recorded in recon_run*).
    const {
      recon_run: runsAfter,
      recon_run_stage: _stagesAfter,
      ...after
    } = await warehouseState(join(dir, 'recon.duckdb'));
    const { recon_run: runsBefore, recon_run_stage: _stagesBefore, ...before } = baseState;
    expect(after).toEqual(before);
    expect(BigInt(runsAfter ?? '0')).toBe(BigInt(runsBefore ?? '0') + 1n);
    expect(before.finding).toBe(String(baseFindings.length));
  });

  it('a dispute over hostile or wildcard prefixes names them and exits 2; the warehouse keeps its findings', async () => {
    const dir = await newDir();
    await cp(join(baseDir, 'recon.duckdb'), join(dir, 'recon.duckdb'));
    // The account's own id with '_' and '%' where it has a character: neither may match it.
    const wildcards = [`${V2_ACCOUNT.slice(0, -4)}_rod`, `${V2_ACCOUNT.slice(0, -4)}%`, "x'; drop table finding; --"];
    const args = wildcards.map((prefix) => `--resource=${prefix}`);
    const result = await recon(['run', 'dispute', ...SAMPLE_INPUTS, '--month', '2026-10', ...args], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('nothing was billed or expected in 2026-10');
    expect(result.stderr).toContain("'x'; drop table finding; --'");
    expect(result.stderr).toContain(`'${V2_ACCOUNT.slice(0, -4).toLowerCase()}%'`);
    const written = await readdir(join(dir, 'out')).catch(() => []);
    expect(written.filter((name) => name.startsWith('dispute-'))).toEqual([]);
    const { recon_run: _r, recon_run_stage: _s, ...after } = await warehouseState(join(dir, 'recon.duckdb'));
    const { recon_run: _rb, recon_run_stage: _sb, ...before } = baseState;
    expect(after).toEqual(before);
  });

  it('hostile --month, --from, --to and blank --resource values are refused with exit 2 before anything is opened', async () => {
    const cases = [
      ['--month', "2026-10'; drop table finding; --"],
      ['--month', '2026-1%'],
      ['--month', '2026-1_'],
      ['--month', "2026-10' or '1'='1"],
      ['--from', "2026-10-01'); drop table billing_line; --"],
      ['--to', '2026-10-3_'],
      ['--resource', '   '],
    ] as const;
    const dir = await newDir();
    const results = await Promise.all(
      cases.map(([option, value]) => recon(['run', 'nightly', ...SAMPLE_INPUTS, `${option}=${value}`, '--quiet'], dir)),
    );
    results.forEach((result, index) => {
      const [option, value] = cases[index] ?? ['', ''];
      expect(result.code, `${option} ${value}`).toBe(2);
      expect(result.stderr).toContain(option);
    });
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('file names are data', () => {
  // As hostile as a Linux file name gets: quotes, ';', spaces, '$', backticks, a SQL fragment, unicode.
  const FOLDER = `in 'q" ;$x \`id\` é ü 😀'); drop table billing_line; --`;
  const EXPORT_FOLDER = `exp '; drop table delivery; --"$HOME`;
  const PART = `part '"; select 1; --$x\`id\`ü.csv`;
  const SHARES = `it's "share";$HOME \`id\` ü'); drop table share_observation; --.share_state.csv`;
  const TRANSACTIONS = `o'k; "tx" $(id) ü.transactions.csv`;

  it('gives the same findings as the plain sample and records the literal paths', async () => {
    const dir = join(await newDir(), FOLDER);
    await cp(SAMPLE, dir, { recursive: true });
    const exportRoot = join(dir, 'exports', EXPORT_FOLDER);
    await rename(join(dir, 'exports', 'recon-files-daily'), exportRoot);
    const parts: string[] = [];
    const manifests: string[] = [];
    for (const id of DELIVERY_IDS) {
      const folder = join(exportRoot, '20261001-20261031', id);
      await rename(join(folder, 'part_0_0001.csv'), join(folder, PART));
      const manifest = JSON.parse(await readFile(join(folder, 'manifest.json'), 'utf8')) as {
        blobs: { blobName: string }[];
      };
      for (const blob of manifest.blobs) blob.blobName = blob.blobName.replace(/part_0_0001\.csv$/, PART);
      await writeFile(join(folder, 'manifest.json'), JSON.stringify(manifest));
      parts.push(join(folder, PART));
      manifests.push(join(folder, 'manifest.json'));
    }
    await rename(join(dir, 'inventory', 'share_state.csv'), join(dir, 'inventory', SHARES));
    await rename(join(dir, 'transactions', 'transactions.csv'), join(dir, 'transactions', TRANSACTIONS));
    const db = join(dir, `w '; drop table finding; --.duckdb`);
    const out = join(dir, `out "'; select 1; --`);

    const result = await recon(['run', 'nightly', ...inputsOf(dir), '--db', db, '--out', out, '--json'], dir);
    expect(result.code, result.stderr).toBe(0);
    expect(summaryOf(result.stdout).inputs).toMatchObject({ files: 2, rows_quarantined: 0 });
    // The same findings as the plain run; the only difference is the file an explanation cites, and it is cited
    // by its literal name.
    const samplePart = join(
      SAMPLE,
      'exports',
      'recon-files-daily',
      '20261001-20261031',
      DELIVERY_IDS[1],
      'part_0_0001.csv',
    );
    const found = await findingsIn(out);
    const citing = found.filter((finding) => finding.explanation.includes(`${parts[1]}:`));
    expect(citing.length).toBeGreaterThan(0);
    const unpathed = found.map((finding) => ({
      ...finding,
      explanation: finding.explanation.replaceAll(parts[1] ?? '', samplePart),
    }));
    expect(unpathed).toEqual(baseFindings);
    const [header = [], ...rows] = parseCsv(await readFile(join(out, 'findings.csv'), 'utf8'));
    const explanation = header.indexOf('explanation');
    expect(rows.map((row) => row[explanation])).toEqual(found.map((finding) => finding.explanation));

    const wh = await Warehouse.open({ path: db });
    try {
      const column = async (sql: string, params?: Record<string, string>): Promise<string[]> =>
        (await wh.rows<{ v: string }>(sql, params)).map((row) => row.v);
      expect(await column('select source_file as v from ingest_file order by 1')).toEqual([...parts].sort());
      expect(await column('select source_path as v from delivery order by 1')).toEqual([...manifests].sort());
      expect(await column('select distinct source_file as v from share_observation order by 1')).toEqual([
        join(dir, 'inventory', SHARES),
      ]);
      expect(await column('select distinct source_file as v from transaction_count')).toEqual([
        join(dir, 'transactions', TRANSACTIONS),
      ]);
      const parquet = join(out, 'parquet', 'billing_line', 'billing_month=2026-10', 'data.parquet');
      expect(
        await column('select distinct source_file as v from read_parquet($path) order by 1', { path: parquet }),
      ).toEqual([parts[1]]);
      // Nothing the names said was run: every table is there with the plain run's rows.
      expect(await column('select count(*)::varchar as v from billing_line')).toEqual([baseState.billing_line]);
      expect(await column('select count(*)::varchar as v from finding')).toEqual([baseState.finding]);
    } finally {
      wh.close();
    }
  });

  // DuckDB's read_csv / read_parquet / read_text expand * ? [ ] in the path they are given: a file named
  // 'shares[1].share_state.csv' would be read as the pattern matching 'shares1.share_state.csv' — another file.
  // Every reader gets its path through literalFilePath (src/db/quote.ts).
  it('reads a file whose name holds glob characters as itself, not as a pattern', async () => {
    const dir = await newDir();
    await cp(SAMPLE, dir, { recursive: true });
    const inventory = join(dir, 'inventory');
    const shares = await readFile(join(inventory, 'share_state.csv'), 'utf8');
    await rm(join(inventory, 'share_state.csv'));
    await writeFile(join(inventory, 'shares[1].share_state.csv'), shares);
    // A decoy the name matches as a pattern: one observation of a share no other file mentions.
    const [header = '', first = ''] = shares.split('\n');
    await writeFile(
      join(inventory, 'shares1.share_state.csv'),
      `${header}\n${first.replace('/shares/', '/shares/decoy-')}\n`,
    );
    const result = await recon(['run', 'nightly', ...inputsOf(dir), '--json'], dir);
    expect(result.code, result.stderr).toBe(0);
    const wh = await Warehouse.open({ path: join(dir, 'recon.duckdb') });
    try {
      const rows = await wh.rows<{ source_file: string; n: string }>(
        'select source_file, count(*)::varchar as n from share_observation group by 1 order by 1',
      );
      expect(rows.find((row) => row.source_file.endsWith('shares[1].share_state.csv'))?.n).toBe(
        baseState.share_observation,
      );
    } finally {
      wh.close();
    }
  });
});

describe('hostile values in the exports', () => {
  let out: string;
  let pack: string;
  let findings: PublicFinding[];

  beforeAll(async () => {
    const dir = await newDir();
    await hostileSample(join(dir, 'in'));
    const inputs = inputsOf(join(dir, 'in'));
    const nightly = await recon(['run', 'nightly', ...inputs, '--quiet'], dir);
    expect(nightly.code, nightly.stderr).toBe(0);
    out = join(dir, 'out');
    findings = await findingsIn(out);
    // One dispute over every hostile resource (by the characters they start with) and the sample's v2 account, so
    // that every file of the pack has rows. '--resource=-' because '--resource -' would read '-' as an option.
    const prefixes = ['=', '@', '+', '-', SEPARATOR_SPLIT.slice(0, 3), '<', '"', "'", '$', 'line', V2_ACCOUNT];
    const dispute = await recon(
      ['run', 'dispute', ...inputs, '--month', '2026-10', ...prefixes.map((p) => `--resource=${p}`), '--quiet'],
      dir,
    );
    expect(dispute.code, dispute.stderr).toBe(0);
    const folders = (await readdir(out)).filter((name) => name.startsWith('dispute-'));
    expect(folders).toHaveLength(1);
    pack = join(out, folders[0] ?? '');
  });

  it('reach the findings: every hostile resource id, the hostile meter and the refund', () => {
    const ids = new Set(findings.map((finding) => finding.billing_resource_id));
    for (const resource of HOSTILE_RESOURCES) expect(ids).toContain(resource.toLowerCase());
    const unmapped = findings.find((f) => f.kind === 'unmapped_meter' && f.billed_quantity === REFUND_QUANTITY);
    expect(unmapped?.explanation).toContain(HOSTILE_METER_NAME);
  });

  describe('CSV outputs', () => {
    // Every CSV recon writes: findings.csv and each CSV of the evidence pack (src/output/csv.ts is the only writer).
    async function csvFiles(): Promise<string[]> {
      const packFiles = (await readdir(pack)).filter((name) => name.endsWith('.csv')).map((name) => join(pack, name));
      return [join(out, 'findings.csv'), ...packFiles];
    }

    // Columns whose cells are numbers (decimal or integer): the only cells that may start with '-' unprefixed.
    const NUMERIC = new Set([
      ...['billed_quantity', 'expected_quantity', 'delta_quantity', 'billed_cost', 'cost_impact', 'quantity'],
      ...['quantity_meter_unit', 'effective_price', 'unit_price', 'cost', 'source_line', 'seconds_in_state'],
      ...['provisioned_gib', 'provisioned_iops', 'provisioned_mibps', 'used_bytes', 'snapshot_differential_bytes'],
      ...['quantity_numerator', 'quantity_denominator', 'days_in_month', 'source_count', 'unknown_seconds'],
      ...['finding_billed_quantity', 'finding_expected_quantity', 'finding_delta_quantity', 'replaced_quantity'],
      ...['current_quantity', 'replaced_cost', 'current_cost', 'delta_cost'],
    ]);

    it('neutralise every text cell a spreadsheet would evaluate; numbers stay plain decimals', async () => {
      const files = await csvFiles();
      expect(files.map((file) => file.slice(out.length + 1).replace(/^dispute-[^/]+\//, 'pack/')).sort()).toEqual([
        'findings.csv',
        'pack/billed.csv',
        'pack/deltas.csv',
        'pack/expected-hourly.csv',
        'pack/expected.csv',
        'pack/restatements.csv',
        'pack/timeline.csv',
      ]);
      const neutralised = new Set<string>();
      for (const file of files) {
        const [header = [], ...rows] = parseCsv(await readFile(file, 'utf8'));
        expect(rows.length, file).toBeGreaterThan(0);
        for (const row of rows) {
          expect(row.length, file).toBe(header.length);
          row.forEach((cell, index) => {
            const column = header[index] ?? '';
            if (NUMERIC.has(column)) {
              expect(cell, `${file} ${column}`).toMatch(/^(-?\d+(\.\d+)?)?$/);
            } else {
              expect(FORMULA_START.test(cell), `${file} ${column}: ${JSON.stringify(cell)}`).toBe(false);
              if (cell.startsWith("'")) neutralised.add(cell.slice(1));
            }
          });
        }
      }
      // Each planted formula arrived somewhere and was neutralised by the documented rule (a leading quote).
      for (const formula of FORMULAS) expect(neutralised).toContain(formula.toLowerCase());
      for (const value of [HOSTILE_METER_NAME, HOSTILE_UNIT, HOSTILE_SUBSCRIPTION])
        expect(neutralised).toContain(value);
    });

    it('keep genuine negative numbers as numbers: the refund in billed.csv, deltas in findings and deltas', async () => {
      const records = async (name: string): Promise<Record<string, string>[]> => {
        const [header = [], ...rows] = parseCsv(await readFile(name, 'utf8'));
        return rows.map((row) => Object.fromEntries(header.map((column, i) => [column, row[i] ?? ''])));
      };
      const refund = (await records(join(pack, 'billed.csv'))).find((row) => row.charge_type === 'Refund');
      expect(refund).toMatchObject({
        quantity: REFUND_QUANTITY,
        cost: REFUND_COST,
        meter_name: `'${HOSTILE_METER_NAME}`,
      });
      const raw = await readFile(join(pack, 'billed.csv'), 'utf8');
      expect(raw).toContain(`,${REFUND_QUANTITY},`);
      expect(raw).toContain(`,${REFUND_COST},`);
      const missing = (await records(join(out, 'findings.csv'))).find((row) => row.kind === 'missing_charge');
      expect(missing?.delta_quantity).toMatch(/^-\d+/);
      const deltas = await records(join(pack, 'deltas.csv'));
      expect(deltas.some((row) => row.delta_quantity?.startsWith('-'))).toBe(true);
    });

    it('quote every cell holding a separator, so a ";" or tab locale cannot split a formula out of it', async () => {
      for (const file of await csvFiles()) {
        const text = await readFile(file, 'utf8');
        for (const field of rawFields(text)) {
          if (!field.startsWith('"')) expect(field, `${file}: ${JSON.stringify(field)}`).not.toMatch(/[;\t]/);
        }
      }
      const findingsCsv = await readFile(join(out, 'findings.csv'), 'utf8');
      expect(findingsCsv).toContain(`,"${SEPARATOR_SPLIT.toLowerCase()}",`);
    });
  });

  describe('report.html in headless Chromium', () => {
    let browser: Browser;

    beforeAll(async () => {
      browser = await launchChromium();
    });

    afterAll(async () => {
      await browser.close();
    });

    it('shows every hostile id, name and explanation literally; nothing runs, opens or calls out', async () => {
      const fileUrl = pathToFileURL(join(out, 'report.html')).href;
      const context = await browser.newContext();
      const page = await context.newPage();
      const problems: string[] = [];
      const requests: string[] = [];
      const dialogs: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
      });
      page.on('pageerror', (error) => problems.push(error.message));
      page.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      context.on('request', (request) => requests.push(request.url()));
      await context.route('**/*', (route) =>
        route.request().url() === fileUrl ? route.continue() : route.abort('blockedbyclient'),
      );
      await page.goto(fileUrl, { waitUntil: 'load' });
      const pwned = (): Promise<unknown> =>
        page.evaluate(() => (globalThis as unknown as { __pwned?: unknown }).__pwned);

      expect(await pwned()).toBeUndefined();
      expect(await page.locator('script').count()).toBe(1);
      expect(await page.locator('img, iframe, object, embed, svg:not(.chart):not(.overview)').count()).toBe(0);

      // Expand every case (a click on its row) and open every evidence panel: the hostile text is now on screen,
      // and still nothing runs.
      const cases = await page.locator('tr.case').all();
      expect(cases.length).toBeGreaterThan(0);
      for (const row of cases) await row.click();
      expect(await page.locator('tr.case[aria-expanded="true"]').count()).toBe(cases.length);
      expect(await page.locator('tr.case-detail:visible').count()).toBe(cases.length);
      for (const summary of await page.locator('tr.case-detail details summary').all()) await summary.click();
      expect(await page.locator('tr.case-detail details:not([open])').count()).toBe(0);
      expect(await pwned()).toBeUndefined();

      // Every finding has its one row in its case's days table, and every hostile resource id and explanation is
      // shown exactly as findings.json has them: the id on the case row (its hover title) and in the case's detail,
      // the explanation on the finding's row (HTML parsing turns CR into LF; that is the browser's normalisation,
      // not the report's).
      const shown = (text: string): string => text.replace(/\r\n?/g, '\n');
      expect(await page.locator('tr.finding').count()).toBe(findings.length);
      expect(await page.locator('tr.finding:visible').count()).toBe(findings.length);
      const hostile = findings.filter(
        (f) => f.billing_resource_id !== null && /[^a-z0-9/.-]/.test(f.billing_resource_id),
      );
      expect(hostile.length).toBeGreaterThanOrEqual(HOSTILE_RESOURCES.length);
      for (const finding of hostile) {
        const row = page.locator(`tr.finding[id="finding-${finding.finding_id}"]`);
        expect(await row.count()).toBe(1);
        expect(await row.locator('td').last().textContent()).toBe(shown(finding.explanation));
        const detail = page.locator('tr.case-detail', { has: row });
        expect(await detail.count()).toBe(1);
        const caseId = ((await detail.getAttribute('id')) ?? '').replace(/^detail-/, '');
        const caseRow = page.locator(`tr.case[data-case="${caseId}"]`);
        expect(await caseRow.count()).toBe(1);
        const id = shown(finding.billing_resource_id ?? '');
        expect(await caseRow.locator('.resource').getAttribute('title')).toBe(id);
        expect(await detail.locator('p code').first().textContent()).toBe(id);
      }
      const ids = await page.locator('tr.case-detail p code').allTextContents();
      for (const resource of MARKUP) expect(ids).toContain(shown(resource.toLowerCase()));

      // Searching for a payload runs nothing and finds its case: the one on the resource that is that payload.
      const payload = MARKUP[0];
      await page.fill('#filter-text', payload);
      const matching = page.locator('tr.case:visible');
      expect(await matching.count()).toBe(1);
      expect(await matching.locator('.resource').getAttribute('title')).toBe(payload.toLowerCase());
      expect(await page.locator('#shown-count').textContent()).toBe(`1 of ${cases.length} cases shown`);
      expect(await page.locator('tr.case-detail:visible tr.finding').count()).toBeGreaterThan(0);
      expect(await pwned()).toBeUndefined();
      await page.fill('#filter-text', '');

      // The resource filter tells resources apart: each of its options shows every case of one resource and no
      // other, even where ids share their last segment ('</script><script>…' and '<script>…</script>' both end in
      // 'script>', as '…/shares/data' does in any two accounts).
      const resources = new Set<string>();
      for (const row of cases) {
        const title = await row
          .locator('.resource')
          .getAttribute('title', { timeout: 1000 })
          .catch(() => null);
        if (title !== null) resources.add(title);
      }
      const values = (await page.locator('#filter-resource option').all()).map((option) =>
        option.getAttribute('value'),
      );
      const selected = new Set<string>();
      for (const value of (await Promise.all(values)).filter((v): v is string => v !== null && v !== '')) {
        await page.selectOption('#filter-resource', { value });
        const visible = await page
          .locator('tr.case:visible .resource')
          .evaluateAll((spans) => spans.map((span) => (span as unknown as { title: string }).title));
        expect(visible.length, value).toBeGreaterThan(0);
        expect(new Set(visible).size, `${value}: ${visible.join(' | ')}`).toBe(1);
        const resource = visible[0] ?? '';
        expect(selected, value).not.toContain(resource);
        selected.add(resource);
        expect(visible.length, value).toBe(
          await page
            .locator('tr.case .resource')
            .evaluateAll(
              (spans, id) => spans.filter((span) => (span as unknown as { title: string }).title === id).length,
              resource,
            ),
        );
      }
      expect(selected).toEqual(resources);
      await page.selectOption('#filter-resource', { value: '' });
      expect(await page.locator('tr.case:visible').count()).toBe(cases.length);
      expect(await pwned()).toBeUndefined();
      expect(dialogs).toEqual([]);
      expect(problems).toEqual([]);
      expect(requests).toEqual([fileUrl]);
      await context.close();
    });
  });

  it('letter.md shows hostile text as Markdown text: no raw HTML, links or emphasis from data', async () => {
    const letter = await readFile(join(pack, 'letter.md'), 'utf8');
    // Outside code spans no '<' opens a tag: the ones from data ("><img …>, '><svg …>) are backslash-escaped.
    const prose = letter.replace(/`[^`\n]*`/g, '');
    expect(prose).not.toMatch(/(^|[^\\])<[a-z/!?]/im);
    expect(prose).toContain('\\<');
    for (const line of letter.split('\n')) expect(line).not.toMatch(/^\s*</);
  });
});

/** The raw fields of an RFC 4180 text, quotes kept, to see which cells were written quoted. */
function rawFields(text: string): string[] {
  const fields: string[] = [];
  let i = 0;
  while (i < text.length) {
    let end = i;
    if (text[i] === '"') {
      end = i + 1;
      while (end < text.length && !(text[end] === '"' && text[end + 1] !== '"')) end += text[end] === '"' ? 2 : 1;
      end += 1;
    } else {
      while (end < text.length && text[end] !== ',' && text[end] !== '\r' && text[end] !== '\n') end += 1;
    }
    fields.push(text.slice(i, end));
    i = end;
    if (text[i] === ',') i += 1;
    else if (text[i] === '\r' && text[i + 1] === '\n') i += 2;
    else if (text[i] === '\n') i += 1;
  }
  return fields;
}
