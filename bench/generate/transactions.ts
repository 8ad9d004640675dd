// Pay-as-you-go transaction counts: a few busy hours a day per account, a few API names an hour, written to
// transactions.csv (hour, billing_resource_id, api_name, count) and summed per 10,000-transaction bucket for the
// bill (billing-rules §4 category table). Deletes are not generated yet: they bill the transaction-optimized
// 'Delete Operations' meter (payg.delete_ops), which the generated bill does not carry.
import { Prng } from './prng.ts';

export const BUCKETS = ['payg.write_ops', 'payg.list_ops', 'payg.read_ops', 'payg.other_ops'] as const;

// api name → index into BUCKETS
const APIS: readonly (readonly [string, number])[] = [
  ['PutRange', 0],
  ['CreateFile', 0],
  ['SetFileProperties', 0],
  ['Flush', 0],
  ['ListFiles', 1],
  ['ListShares', 1],
  ['Read', 2],
  ['GetFileProperties', 2],
  ['QueryDirectory', 2],
  ['GetShareProperties', 2],
  ['Close', 3],
  ['Negotiate', 3],
  ['SessionSetup', 3],
  ['TreeConnect', 3],
];

export interface TransactionRow {
  /** hours since the month's start */
  monthHour: number;
  apiName: string;
  count: number;
}

/** One account's transactions on day `day`: per-bucket totals, and each hourly row through `emit`. */
export function transactionsOfDay(
  seed: number,
  monthKey: number,
  resourceIndex: number,
  day: number,
  emit: ((row: TransactionRow) => void) | null,
): number[] {
  const rng = new Prng(seed, monthKey, 3, resourceIndex, day);
  const totals = [0, 0, 0, 0];
  const hours = new Set<number>();
  const busy = rng.int(2, 4);
  while (hours.size < busy) hours.add(rng.int(6, 20));
  for (const hour of [...hours].sort((a, b) => a - b)) {
    const apis = new Set<number>();
    const calls = rng.int(3, 5);
    while (apis.size < calls) apis.add(rng.int(0, APIS.length - 1));
    for (const api of [...apis].sort((a, b) => a - b)) {
      const [apiName, bucket] = APIS[api] ?? ['Read', 2];
      const count = rng.int(50, 60000);
      if (bucket >= 0) totals[bucket] = (totals[bucket] ?? 0) + count;
      emit?.({ monthHour: (day - 1) * 24 + hour, apiName, count });
    }
  }
  return totals;
}
