// The few named errors recon throws. Library code throws these; only src/cli.ts turns them into exit codes.

/** Bad invocation or unreadable input: exit 2. The message names the file and what is wrong. */
export class InputError extends Error {
  override readonly name = 'InputError';
}

/**
 * A file recon writes (a report, a Parquet file, the warehouse) could not be written for a reason outside recon and
 * outside its input: a full disk, a file-size limit, a read-only or missing folder. The message names the path and
 * the reason; the CLI prints it without a stack trace (exit 2).
 */
export class WriteError extends Error {
  override readonly name = 'WriteError';
}

/** Another run holds the warehouse: exit 3. */
export class WarehouseBusyError extends Error {
  override readonly name = 'WarehouseBusyError';
}

/** A SQL statement failed. Keeps the stage and SQL file so the message says where; DuckDB's own error is the cause. */
export class SqlError extends Error {
  override readonly name = 'SqlError';
  constructor(
    readonly stage: string,
    readonly sqlFile: string | undefined,
    cause: unknown,
  ) {
    const where = sqlFile ? `${stage} (${sqlFile})` : stage;
    super(`SQL failed in ${where}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
