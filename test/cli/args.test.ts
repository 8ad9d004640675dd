import { describe, expect, it } from 'vitest';
import { closest, editDistance, parseOptions } from '../../src/cli/args.ts';
import { InputError } from '../../src/errors.ts';

describe('typo suggestions', () => {
  it.each([
    ['nightley', ['nightly', 'dispute'], 'nightly'],
    ['dipsute', ['nightly', 'dispute'], 'dispute'],
    ['--tolerence', ['--tolerance', '--tolerance-pct'], '--tolerance'],
    ['--mem', ['--memory-limit', '--month'], '--memory-limit'],
    ['weekly', ['nightly', 'dispute'], undefined],
    ['-x', ['-q', '-h'], undefined],
  ])('%s → %s', (input, candidates, expected) => {
    expect(closest(input, candidates)).toBe(expected);
  });

  it('counts a swapped pair as one edit', () => {
    expect(editDistance('explian', 'explain')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it("rewrites Node's parser errors into one line of recon's", () => {
    const options = { db: { type: 'string' }, quiet: { type: 'boolean', short: 'q' } } as const;
    const attempt = (args: string[]) => () => parseOptions('findings', args, options);
    expect(attempt(['--dbb', 'x'])).toThrow(InputError);
    expect(attempt(['--dbb', 'x'])).toThrow("unknown option '--dbb' for recon findings (did you mean '--db'?)");
    expect(attempt(['--db'])).toThrow("option '--db' needs a value");
    expect(attempt(['--quiet=1'])).toThrow("option '--quiet' takes no value");
    expect(attempt(['--dbb'])).not.toThrow(/positional argument/);
  });
});
