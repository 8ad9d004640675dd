// What the user reads when recon stops: one line, never a stack, and DuckDB's out-of-memory says what to change.
import { describe, expect, it } from 'vitest';
import { errorLine, exitCodeFor } from '../../src/cli/error-line.ts';
import { InputError, SqlError, WarehouseBusyError } from '../../src/errors.ts';
import { openTestWarehouse } from '../helpers/warehouse.ts';

describe('error lines', () => {
  it('a real DuckDB out-of-memory error becomes advice, not an internal error', async () => {
    const wh = await openTestWarehouse({ memoryLimit: '2MB', threads: 1, migrate: false });
    let failure: unknown;
    try {
      await wh.rows('select list(range) from range(5000000)', undefined, {
        stage: 'billed',
        file: 'sql/billed/billed_usage.sql',
      });
    } catch (error) {
      failure = error;
    } finally {
      wh.close();
    }
    expect(failure).toBeDefined();
    const line = errorLine(failure, ['run', 'nightly', '--memory-limit', '2MB']);
    expect(line).toBe(
      'error: DuckDB ran out of memory in the billed stage (sql/billed/billed_usage.sql) within --memory-limit 2MB: ' +
        'raise --memory-limit (default 1GB) or lower --threads',
    );
    // A statement outside a SQL file names no file; without --memory-limit the line names none either.
    const bare = new SqlError('sql', undefined, new Error('Out of Memory Error: failed to allocate 16 MiB'));
    expect(errorLine(bare, ['run', 'nightly'])).toBe(
      'error: DuckDB ran out of memory: raise --memory-limit (default 1GB) or lower --threads',
    );
    expect(exitCodeFor(failure)).toBe(2);
  });

  it('a commit that cannot pin a buffer is out of memory, in the stage that was committing', () => {
    // DuckDB 1.5's words when a month of hourly inventory (7.3M observations) committed under 1GB
    const commit = new SqlError(
      'inventory',
      undefined,
      new Error(
        'TransactionContext Error: Failed to commit: failed to pin block of size 256.0 KiB (953.5 MiB/953.6 MiB used)',
      ),
    );
    expect(errorLine(commit, ['run', 'nightly'])).toBe(
      'error: DuckDB ran out of memory in the inventory stage (its commit): raise --memory-limit (default 1GB) or ' +
        'lower --threads',
    );
  });

  it('named errors keep their message; anything else is one line', () => {
    expect(errorLine(new InputError('file x: bad'), [])).toBe('error: file x: bad');
    expect(exitCodeFor(new WarehouseBusyError('held'))).toBe(3);
    const unexpected = new TypeError('Cannot read properties of undefined\n    at foo (bar.ts:1:2)');
    expect(errorLine(unexpected, [])).toBe('internal error: Cannot read properties of undefined');
  });
});
