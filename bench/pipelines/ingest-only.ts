// The bench's "recon ingest" measurement: the nightly's first stage alone, through the real CLI.
import { definePipeline } from '../../src/pipeline/definition.ts';

export default definePipeline({
  name: 'bench-ingest',
  description: 'Only ingest the exports (bench: compared with the raw DuckDB scan).',
  stages: ['ingest'],
});
