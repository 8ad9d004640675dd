// The Chromium the browser tests drive through playwright-core. Debian's package (/usr/bin/chromium, which .ci/run
// installs) when present; otherwise the headless Chromium that ships inside the @sparticuz/chromium npm package, so
// `npm test` passes on a machine with only Node and npm. Nothing is downloaded: the package carries the browser as
// brotli files and unpacks them into the temp folder on first use.
//
// RECON_TEST_CHROMIUM overrides the choice: `bundled` forces the npm package (to test that path on a machine that
// has Debian's), any other value is the path of a Chromium to use.
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

export const SYSTEM_CHROMIUM = '/usr/bin/chromium';

const COMMON_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface ChosenChromium {
  executablePath: string;
  source: 'system' | 'bundled' | 'override';
  /** Extra environment the browser needs (the bundled one brings its own shared libraries). */
  env: Record<string, string>;
}

export async function chooseChromium(): Promise<ChosenChromium> {
  const override = process.env.RECON_TEST_CHROMIUM;
  if (override !== undefined && override !== '' && override !== 'bundled') {
    return { executablePath: override, source: 'override', env: {} };
  }
  if (override !== 'bundled' && existsSync(SYSTEM_CHROMIUM)) {
    return { executablePath: SYSTEM_CHROMIUM, source: 'system', env: {} };
  }
  const { default: bundled } = await import('@sparticuz/chromium');
  const executablePath = await bundled.executablePath();
  // The package unpacks the shared libraries Chromium links against (NSS, etc.) only on AWS Lambda; a bare Debian or
  // Ubuntu may lack them too, so unpack them always and put them first on the library path.
  const libraries = join(tmpdir(), 'al2023', 'lib');
  if (!existsSync(libraries)) {
    // The package's own unpacker (its exports map hides it, so by file path).
    const root = join(dirname(createRequire(import.meta.url).resolve('@sparticuz/chromium')), '..', '..');
    const lambdafs = pathToFileURL(join(root, 'build', 'esm', 'lambdafs.js')).href;
    const { inflate } = (await import(lambdafs)) as { inflate: (file: string) => Promise<string> };
    await inflate(join(root, 'bin', 'al2023.tar.br'));
  }
  const libraryPath = [libraries, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':');
  return {
    executablePath,
    source: 'bundled',
    env: { LD_LIBRARY_PATH: libraryPath, FONTCONFIG_PATH: join(tmpdir(), 'fonts') },
  };
}

/** Launch headless Chromium for a test; the caller closes it. */
export async function launchChromium(): Promise<Browser> {
  const chosen = await chooseChromium();
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  return chromium.launch({
    executablePath: chosen.executablePath,
    args:
      chosen.source === 'bundled' ? ['--headless=new', '--no-zygote', ...COMMON_ARGS] : ['--headless', ...COMMON_ARGS],
    env: { ...env, ...chosen.env },
  });
}
