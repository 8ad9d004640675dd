import { describe, expect, it } from 'vitest';
import { DEFAULT_TOLERANCE, DEFAULT_TOLERANCE_PCT, parseRunArgs, type RunConfig } from '../../src/config.ts';
import { InputError } from '../../src/errors.ts';

function parse(args: string[]): RunConfig {
  const result = parseRunArgs(args);
  if ('help' in result) throw new Error('unexpected help');
  return result;
}

describe('run options', () => {
  it('fills documented defaults', () => {
    const config = parse(['nightly']);
    expect(config).toMatchObject({
      pipeline: 'nightly',
      db: 'recon.duckdb',
      out: 'out',
      exports: [],
      resources: [],
      tolerance: DEFAULT_TOLERANCE,
      tolerancePct: DEFAULT_TOLERANCE_PCT,
      failOn: undefined,
      quiet: false,
      json: false,
    });
  });

  it('collects repeatable options and lower-cases resource prefixes', () => {
    const config = parse([
      'dispute',
      '--exports',
      'a',
      '--exports',
      'b.csv.gz',
      '--resource',
      '/Subscriptions/ABC',
      '--month',
      '2024-02',
      '--fail-on',
      'MEDIUM',
      '--tolerance',
      '0.0100',
    ]);
    expect(config.exports).toEqual(['a', 'b.csv.gz']);
    expect(config.resources).toEqual(['/subscriptions/abc']);
    expect(config.month).toBe('2024-02');
    expect(config.failOn).toBe('medium');
    expect(config.tolerance).toBe('0.01');
  });

  it.each([
    [['nightly', '--month', '2024-13'], /--month must be YYYY-MM/],
    [['nightly', '--from', '2023-02-29'], /--from must be a real date/],
    [['nightly', '--from', '2024-03-02', '--to', '2024-03-01'], /--from 2024-03-02 is after --to 2024-03-01/],
    [['nightly', '--tolerance=-1'], /--tolerance must be a non-negative/],
    [['nightly', '--tolerance-pct', 'abc'], /--tolerance-pct must be a decimal/],
    [['nightly', '--fail-on', 'critical'], /--fail-on must be one of high, medium, low/],
    [['nightly', '--threads', '0'], /--threads must be a positive integer/],
    [['nightly', '--inventory-as-of', '2026-02-30'], /--inventory-as-of must be a date YYYY-MM-DD or an ISO-8601 time/],
    [['nightly', '--inventory-as-of', '2026-02-15T06:00:00'], /--inventory-as-of must be .* with Z or an offset/],
    [['nightly', '--inventory-as-of', '2026-02-15T25:00Z'], /--inventory-as-of must be/],
    [['nightly', '--inventory-as-of', 'yesterday'], /--inventory-as-of must be/],
    [['nightly', '--bogus'], /unknown option '--bogus' for recon run/],
    [['nightly', '--tolerence', '1'], /unknown option '--tolerence' for recon run \(did you mean '--tolerance'\?\)/],
    [['nightly', '--tolerance', '1e-40'], /--tolerance allows at most 12 decimal places, got '1e-40'/],
    [['nightly', '--tolerance', '0x10'], /--tolerance must be a decimal number like 0.000001, got '0x10'/],
    [['nightly', '--tolerance', '1e25'], /--tolerance must be below 1e20/],
    [['nightly', '--tolerance-pct', '0.0000001'], /--tolerance-pct allows at most 6 decimal places/],
    [['nightly', '--fail-on', 'hihg'], /did you mean 'high'/],
    [['nightly', '--memory-limit', '1KB'], /--memory-limit must be at least 256MB, got '1KB'/],
    [['nightly', '--memory-limit', '100MiB'], /--memory-limit must be at least 256MB/],
    [['nightly', '--db', 'package.json'], /--db package.json is not a DuckDB warehouse: it looks like a JSON file/],
    [[], /expected exactly one pipeline/],
  ])('rejects %j with a message naming the option', (args, message) => {
    expect(() => parseRunArgs(args)).toThrow(InputError);
    expect(() => parseRunArgs(args)).toThrow(message);
  });

  it('reads --inventory-as-of as a UTC time; a date alone vouches through the end of that day', () => {
    expect(parse(['nightly']).inventoryAsOf).toBeUndefined();
    expect(parse(['nightly', '--inventory-as-of', '2026-02-15T06:00:00Z']).inventoryAsOf).toBe('2026-02-15T06:00:00Z');
    expect(parse(['nightly', '--inventory-as-of', '2026-02-15T08:00+02:00']).inventoryAsOf).toBe(
      '2026-02-15T06:00:00Z',
    );
    expect(parse(['nightly', '--inventory-as-of', '2024-02-29']).inventoryAsOf).toBe('2024-03-01T00:00:00Z');
  });

  it('accepts the leap day and asks for help', () => {
    expect(parse(['nightly', '--from', '2024-02-29']).from).toBe('2024-02-29');
    expect(parseRunArgs(['nightly', '--help'])).toEqual({ help: true, pipeline: 'nightly' });
    expect(parseRunArgs(['-h'])).toEqual({ help: true, pipeline: undefined });
    expect(parse(['nightly', '--tolerance', '1e-6', '--memory-limit', '256MB']).tolerance).toBe('0.000001');
  });
});
