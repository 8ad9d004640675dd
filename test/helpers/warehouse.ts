// The one way a test opens a warehouse of its own: what the pipeline opens (src/pipeline/runner.ts), migrated and
// with the model installed (migrate does both), in memory unless the test needs a file. Close it with `wh.close()`;
// a test that passes `path` owns that file and removes its folder itself.
//
// Tests that check Warehouse.open itself (test/db), or open the warehouse file a CLI run wrote to look inside it,
// call Warehouse.open directly: neither is "a test warehouse".
import { loadMeterCatalog } from '../../src/billing/meter-catalog.ts';
import { migrate } from '../../src/db/migrate.ts';
import { Warehouse } from '../../src/db/warehouse.ts';

export interface TestWarehouseOptions {
  /** A warehouse file; default ':memory:'. */
  path?: string;
  /** DuckDB size string; default Warehouse.open's (DEFAULT_MEMORY_LIMIT). */
  memoryLimit?: string;
  threads?: number;
  /**
   * false: a bare DuckDB with no recon schema, for a test that only reads Parquet/CSV files or runs SQL that must
   * not see recon's tables and macros. Default true.
   */
  migrate?: boolean;
  /** Load the meter catalog (data/meter-catalog.csv), as the billed stage does before it maps lines. */
  meterCatalog?: boolean;
}

export async function openTestWarehouse(options: TestWarehouseOptions = {}): Promise<Warehouse> {
  const wh = await Warehouse.open({
    path: options.path ?? ':memory:',
    memoryLimit: options.memoryLimit,
    threads: options.threads,
  });
  try {
    if (options.migrate ?? true) await migrate(wh);
    if (options.meterCatalog) await loadMeterCatalog(wh);
  } catch (error) {
    wh.close();
    throw error;
  }
  return wh;
}
