// Azure retail list prices (USD) of the Files and snapshot meters, from the vendored retail price list
// (data/azure-retail-meters/meters.csv, provenance beside it). recon uses them for one thing: the money at stake
// of a wrong_meter finding, priced at list price because the bill does not show the price of the meter that should
// have been billed. Loaded into table retail_meter_price with the meter catalog.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Warehouse } from '../db/warehouse.ts';

export const RETAIL_METERS_PATH = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'data',
  'azure-retail-meters',
  'meters.csv',
);

/** (Re)load retail_meter_price; returns the number of (meter, region) prices. */
export async function loadRetailPrices(wh: Warehouse, csvPath: string = RETAIL_METERS_PATH): Promise<number> {
  await wh.transaction('meter catalog', async () => {
    await wh.runFile('billed/retail_meter_price.sql', { path: csvPath });
  });
  const row = await wh.row<{ n: string }>('select count(*)::varchar as n from retail_meter_price', undefined, {
    stage: 'meter catalog',
  });
  return Number(row?.n ?? 0); // a row count, not a quantity
}
