// report.html in a real browser (Debian chromium when installed, else the npm-shipped one: test/helpers/browser.ts): it renders, runs its script without errors,
// shows hostile data as text without executing it, and makes no request beyond its own file.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReports } from '../../src/report/index.ts';
import { launchChromium } from '../helpers/browser.ts';
import { HOSTILE_EXPLANATION, HOSTILE_RESOURCE, reportWarehouse, SUMMARY } from '../fixtures/report/warehouse.ts';

describe('report.html in chromium', () => {
  let browser: Browser;
  let out: string;

  beforeAll(async () => {
    browser = await launchChromium();
    out = await mkdtemp(join(tmpdir(), 'recon-html-'));
    const wh = await reportWarehouse();
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

  it('renders charts and findings, filters, and neither executes data nor leaves the page', async () => {
    const fileUrl = pathToFileURL(join(out, 'report.html')).href;
    const context = await browser.newContext();
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

    expect(problems).toEqual([]);
    expect(requests).toEqual([fileUrl]);
    // Three compared pairs in May: storage and IOPS of the account, and the hostile resource's v1 meter.
    expect(await page.locator('svg.chart').count()).toBe(3);
    expect(await page.locator('svg.chart path.billed').count()).toBe(3);
    expect(await page.locator('tr.finding').count()).toBe(4);
    expect(await page.locator('tr.finding').first().getAttribute('id')).toBe('finding-f-missing');

    // Hostile values are text: nothing injected, nothing run.
    expect(await page.evaluate(() => (globalThis as Record<string, unknown>).__pwned)).toBeUndefined();
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(1);
    const hostileRow = page.locator('#finding-f-hostile');
    expect(await hostileRow.locator('summary').textContent()).toBe(HOSTILE_EXPLANATION);
    expect(await hostileRow.locator('td.id code').textContent()).toBe(HOSTILE_RESOURCE);
    await hostileRow.locator('summary').click();
    expect(await hostileRow.locator('pre').textContent()).toBe(
      '{\n  "note": "</pre><script>window.__pwned=3</script>"\n}',
    );
    expect(await page.evaluate(() => (globalThis as Record<string, unknown>).__pwned)).toBeUndefined();

    // Header figures from the run summary and the warehouse.
    const figures = page.locator('#run-figures');
    expect(await figures.textContent()).toContain('money at stake1.2826 EUR + 0.50 USD');
    expect(await figures.textContent()).toContain('rows read1234');

    // The inline filter works (the script ran under the page's Content-Security-Policy).
    expect(await page.locator('#shown-count').textContent()).toBe('4 of 4 findings shown');
    await page.selectOption('#filter-severity', 'low');
    expect(await page.locator('tr.finding:visible').count()).toBe(2);
    await page.selectOption('#filter-kind', 'unmapped_meter');
    expect(await page.locator('#shown-count').textContent()).toBe('1 of 4 findings shown');
    await page.selectOption('#filter-kind', '');
    await page.selectOption('#filter-severity', '');
    await page.fill('#filter-text', '@SUM');
    expect(await page.locator('tr.finding:visible').count()).toBe(1);

    expect(problems).toEqual([]);
    expect(requests).toEqual([fileUrl]);
    await context.close();
  });
});
