// report.html in a real browser (Debian chromium when installed, else the npm-shipped one: test/helpers/browser.ts):
// it renders, runs its script without errors, shows hostile data as text without executing it, makes no request
// beyond its own file; the cases table sorts, filters and expands, and fits a 1280 px window without horizontal
// scrolling (screenshots in test-artifacts/).
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReports } from '../../src/report/index.ts';
import { launchChromium } from '../helpers/browser.ts';
import { HOSTILE_EXPLANATION, HOSTILE_RESOURCE, insertReportFixture, SUMMARY } from '../fixtures/report/warehouse.ts';
import { recon, ROOT, SAMPLE_INPUTS } from '../e2e/helpers.ts';
import { openTestWarehouse } from '../helpers/warehouse.ts';

/** Screenshots for a person to look at (gitignored). */
const ARTIFACTS = join(ROOT, 'test-artifacts');

describe('report.html in chromium', () => {
  let browser: Browser;
  let out: string;

  beforeAll(async () => {
    browser = await launchChromium();
    out = await mkdtemp(join(tmpdir(), 'recon-html-'));
    const wh = await openTestWarehouse();
    await insertReportFixture(wh);
    try {
      await writeReports(wh, out, SUMMARY, { billingMonths: ['2024-05'] });
    } finally {
      wh.close();
    }
  });

  afterAll(async () => {
    await browser.close();
    await rm(out, { recursive: true, force: true });
  });

  async function open(dir: string) {
    const fileUrl = pathToFileURL(join(dir, 'report.html')).href;
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    context.on('request', (request) => requests.push(request.url()));
    await context.route('**/*', (route) =>
      route.request().url() === fileUrl ? route.continue() : route.abort('blockedbyclient'),
    );
    await page.goto(fileUrl, { waitUntil: 'load' });
    return { page, context, problems, requests, fileUrl };
  }
  const noHorizontalScroll = (page: Page) =>
    page.evaluate(() => {
      const root = (
        globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }
      ).document.documentElement;
      return root.scrollWidth <= root.clientWidth;
    });

  it('renders cases, sorts, filters, expands, and neither executes data nor leaves the page', async () => {
    const { page, context, problems, requests, fileUrl } = await open(out);
    expect(problems).toEqual([]);
    expect(requests).toEqual([fileUrl]);
    // Four cases (one finding each); charts only for the pairs with a case: storage and IOPS of the account, and
    // the hostile resource's v1 meter.
    expect(await page.locator('tr.case').count()).toBe(4);
    expect(await page.locator('svg.chart').count()).toBe(3);
    expect(await page.locator('tr.case').first().getAttribute('data-kind')).toBe('missing_charge');

    // The three money totals, never one sum.
    const totals = page.locator('#money-totals');
    expect(await totals.textContent()).toBe(
      'Overbilled (claimable)0.05 EUR' +
        'Underbilled (owed)1.23 EUR' +
        'Unverifiable (billed, cannot be checked)0.50 USD',
    );
    expect(await page.locator('#case-counts').textContent()).toContain('4 cases (4 findings)');
    expect(await page.locator('#run-figures').textContent()).toContain('rows read1,234');

    // Hostile values are text: nothing injected, nothing run.
    expect(await page.evaluate(() => (globalThis as Record<string, unknown>).__pwned)).toBeUndefined();
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(1);
    const hostile = page.locator('tr.case[data-kind="unexpected_charge"]');
    expect(await hostile.locator('.resource').getAttribute('title')).toBe(HOSTILE_RESOURCE);
    const detail = page.locator(`#detail-${(await hostile.getAttribute('data-case')) ?? ''}`);
    expect(await detail.isHidden()).toBe(true);
    await hostile.click(); // expand
    expect(await detail.isVisible()).toBe(true);
    expect(await detail.locator('.explanation').textContent()).toBe(HOSTILE_EXPLANATION);
    await detail.locator('details summary').first().click();
    expect(await detail.locator('dl.evidence').textContent()).toContain('note</pre><script>window.__pwned=3</script>');
    expect(await page.evaluate(() => (globalThis as Record<string, unknown>).__pwned)).toBeUndefined();
    await hostile.click(); // collapse
    expect(await detail.isHidden()).toBe(true);

    // Sort by every column: kind sorts by name, descending then ascending.
    const kinds = async () => {
      const rows = await page.locator('tr.case').all();
      return Promise.all(rows.map((row) => row.getAttribute('data-kind')));
    };
    await page.locator('#case-table > thead th:nth-child(3) button').click();
    expect(await kinds()).toEqual(['unmapped_meter', 'unexpected_charge', 'quantity_mismatch', 'missing_charge']);
    await page.locator('#case-table > thead th:nth-child(3) button').click();
    expect(await kinds()).toEqual(['missing_charge', 'quantity_mismatch', 'unexpected_charge', 'unmapped_meter']);
    for (let column = 1; column <= 11; column++) {
      await page.locator(`#case-table > thead th:nth-child(${column}) button`).click();
      expect(await page.locator(`#case-table > thead th:nth-child(${column})`).getAttribute('aria-sort')).toBe(
        'descending',
      );
      expect(await page.locator('tr.case').count()).toBe(4);
    }

    // Filters: kind, severity, resource, meter, text.
    expect(await page.locator('#shown-count').textContent()).toBe('4 of 4 cases shown');
    await page.selectOption('#filter-severity', 'low');
    expect(await page.locator('tr.case:visible').count()).toBe(2);
    await page.selectOption('#filter-kind', 'unmapped_meter');
    expect(await page.locator('#shown-count').textContent()).toBe('1 of 4 cases shown');
    await page.selectOption('#filter-kind', '');
    await page.selectOption('#filter-severity', '');
    await page.selectOption('#filter-resource', 'acct1');
    expect(await page.locator('tr.case:visible').count()).toBe(3);
    await page.selectOption('#filter-meter', 'v2.provisioned_iops');
    expect(await page.locator('tr.case:visible').count()).toBe(1);
    await page.selectOption('#filter-resource', '');
    await page.selectOption('#filter-meter', '');
    await page.fill('#filter-text', '@SUM');
    expect(await page.locator('tr.case:visible').count()).toBe(1);

    expect(await noHorizontalScroll(page)).toBe(true);
    expect(problems).toEqual([]);
    expect(requests).toEqual([fileUrl]);
    await context.close();
  });

  it('on the sample month: fits 1280 px, dates do not wrap, and saves screenshots', async () => {
    const work = await mkdtemp(join(tmpdir(), 'recon-html-sample-'));
    try {
      const run = await recon(['run', 'nightly', ...SAMPLE_INPUTS, '--quiet'], work);
      expect(run.code, run.stderr).toBe(0);
      const { page, context, problems } = await open(join(work, 'out'));
      expect(await page.locator('tr.case').count()).toBe(11);
      expect(await noHorizontalScroll(page)).toBe(true);
      // a date range stays on one line
      const days = page.locator('tr.case td:nth-child(7)').first();
      const box = await days.boundingBox();
      expect(box?.height ?? 99).toBeLessThan(30);
      await mkdir(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, 'report-first-screen.png') });
      const first = page.locator('tr.case').first();
      await first.click();
      await page.locator(`#detail-${(await first.getAttribute('data-case')) ?? ''}`).scrollIntoViewIfNeeded();
      expect(await noHorizontalScroll(page)).toBe(true);
      await page.screenshot({ path: join(ARTIFACTS, 'report-case-expanded.png') });
      expect(problems).toEqual([]);
      await context.close();
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }, 240_000);
});
