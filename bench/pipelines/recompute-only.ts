// The bench's recompute scaling runs: read the inputs and recompute expected usage; the report stage writes
// summary.json with the stage timings. No billed usage, diff or Parquet: they do not depend on state changes.
import { definePipeline } from '../../src/pipeline/definition.ts';

export default definePipeline({
  name: 'bench-recompute',
  description: 'Ingest, inventory and recompute only (bench: how recompute grows with state changes).',
  stages: ['ingest', 'inventory', 'transactions', 'recompute', 'report'],
});
