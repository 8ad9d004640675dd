// How an error reaches the user: one line, never a stack trace, and an exit code (src/cli.ts prints them).
import { DEFAULT_MEMORY_LIMIT } from '../db/warehouse.ts';
import { InputError, SqlError, WarehouseBusyError, WriteError, errorMessage } from '../errors.ts';

export function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}

/** Busy → 3; anything else that stops a run → 2 (the message says whether the input or recon is at fault). */
export function exitCodeFor(error: unknown): number {
  return error instanceof WarehouseBusyError ? 3 : 2;
}

/** The user-facing line for an error: named errors as they are; DuckDB running out of memory says what to change. */
export function errorLine(error: unknown, argv: readonly string[]): string {
  const chain = [errorMessage(error), error instanceof Error ? errorMessage(error.cause) : ''].join(' ');
  // a commit that cannot pin a buffer is out of memory too: DuckDB says so only in those words
  if (/Out of Memory Error|failed to pin block of size/i.test(chain)) {
    const memory = memoryLimitGiven(argv);
    return (
      `error: DuckDB ran out of memory${failingSqlFile(error)}${memory ? ` within --memory-limit ${memory}` : ''}: ` +
      `raise --memory-limit (default ${DEFAULT_MEMORY_LIMIT}) or lower --threads`
    );
  }
  const named = error instanceof InputError || error instanceof WarehouseBusyError || error instanceof WriteError;
  const prefix = error instanceof SqlError ? 'internal SQL error' : named ? 'error' : 'internal error';
  return `${prefix}: ${named ? errorMessage(error) : firstLine(errorMessage(error))}`;
}

/**
 * ' in the <stage> stage (<file>)' when the failing statement came from a SQL file, ' in the <stage> stage (its
 * commit)' when the stage's transaction failed to commit: where the memory went.
 */
function failingSqlFile(error: unknown): string {
  const sql = error instanceof SqlError ? error : error instanceof Error ? error.cause : undefined;
  if (!(sql instanceof SqlError)) return '';
  if (sql.sqlFile) return ` in the ${sql.stage} stage (${sql.sqlFile})`;
  return /Failed to commit/i.test(errorMessage(sql)) ? ` in the ${sql.stage} stage (its commit)` : '';
}

function memoryLimitGiven(argv: readonly string[]): string | undefined {
  const index = argv.findIndex((arg) => arg === '--memory-limit' || arg.startsWith('--memory-limit='));
  if (index < 0) return undefined;
  const arg = argv[index] ?? '';
  return arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[index + 1];
}
