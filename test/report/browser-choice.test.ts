// Both Chromiums the browser tests can use must work: Debian's (CI installs it) and the one shipped inside the
// @sparticuz/chromium npm package (a machine with only Node and npm). This forces the bundled one even where Debian's
// is installed, so neither path rots unnoticed.
import { afterEach, describe, expect, it } from 'vitest';
import { chooseChromium, launchChromium } from '../helpers/browser.ts';

describe('the Chromium for browser tests', () => {
  const saved = process.env.RECON_TEST_CHROMIUM;
  afterEach(() => {
    if (saved === undefined) delete process.env.RECON_TEST_CHROMIUM;
    else process.env.RECON_TEST_CHROMIUM = saved;
  });

  it('runs the Chromium shipped in the npm package when asked for it (as on a machine without one)', async () => {
    process.env.RECON_TEST_CHROMIUM = 'bundled';
    expect((await chooseChromium()).source).toBe('bundled');
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.setContent('<p id="p">static</p><script>document.getElementById("p").textContent = "ran";</script>');
      expect(await page.textContent('#p')).toBe('ran');
    } finally {
      await browser.close();
    }
  }, 60_000);

  it('takes an explicit path as given', async () => {
    process.env.RECON_TEST_CHROMIUM = '/opt/some/chromium';
    expect(await chooseChromium()).toEqual({ executablePath: '/opt/some/chromium', source: 'override', env: {} });
  });
});
