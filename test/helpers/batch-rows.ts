// Runs a step with RECON_BATCH_ROWS set (src/db/batches.ts): tests that force many batches to show that a
// batched statement gives the rows of one batch. The variable is restored afterwards, whatever happens.
export async function withBatchRows<T>(batchRows: string | undefined, step: () => Promise<T>): Promise<T> {
  const saved = process.env.RECON_BATCH_ROWS;
  if (batchRows === undefined) delete process.env.RECON_BATCH_ROWS;
  else process.env.RECON_BATCH_ROWS = batchRows;
  try {
    return await step();
  } finally {
    if (saved === undefined) delete process.env.RECON_BATCH_ROWS;
    else process.env.RECON_BATCH_ROWS = saved;
  }
}
