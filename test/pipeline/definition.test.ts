import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.ts';
import { loadPipeline, validatePipeline } from '../../src/pipeline/definition.ts';

const valid = { name: 'my-run', description: 'ingest only', stages: ['ingest'] };
const FIXTURES = join(import.meta.dirname, '../fixtures/pipelines');

async function pipelineFile(name: string, content: string): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'recon-pipeline-')), name);
  await writeFile(path, content);
  return path;
}

describe('pipeline definitions', () => {
  it('loads the built-in pipelines', async () => {
    expect((await loadPipeline('nightly')).stages[0]).toBe('ingest');
    expect((await loadPipeline('dispute')).requires).toEqual(['month', 'resource']);
  });

  it.each([
    ['ingest-only.yaml', ['ingest']],
    ['recompute-only.yaml', ['ingest', 'inventory', 'transactions', 'recompute', 'report']],
  ])('loads the bench pipeline bench/pipelines/%s (the bench runs it through the CLI)', async (file, stages) => {
    const pipeline = await loadPipeline(join(import.meta.dirname, '../../bench/pipelines', file));
    expect(pipeline.stages).toEqual(stages);
  });

  it.each(['ingest-only.yaml', 'ingest-only.json'])('loads a user pipeline file of data: %s', async (file) => {
    const pipeline = await loadPipeline(join(FIXTURES, file));
    expect(pipeline).toEqual({ name: 'ingest-only', description: 'Only ingest the exports.', stages: ['ingest'] });
  });

  it('never runs code from a pipeline file: a .ts file is refused without being imported', async () => {
    const marker = join(await mkdtemp(join(tmpdir(), 'recon-marker-')), 'ran');
    process.env.RECON_TEST_MARKER = marker;
    try {
      await expect(loadPipeline(join(FIXTURES, 'runs-code.ts'))).rejects.toThrow(
        /pipeline files are data: write it as JSON or YAML/,
      );
      expect(existsSync(marker)).toBe(false);
    } finally {
      delete process.env.RECON_TEST_MARKER;
    }
  });

  it.each([
    [{ ...valid, name: 'Bad Name' }, "field 'name'"],
    [{ ...valid, description: '' }, "field 'description'"],
    [{ ...valid, stages: [] }, "field 'stages' must be a non-empty array"],
    [{ ...valid, stages: ['ingest', 'publish'] }, "field 'stages[1]' is 'publish'; known stages:"],
    [{ ...valid, stages: ['ingest', 'ingset'] }, "(did you mean 'ingest'?)"],
    [{ ...valid, stages: ['ingest', 'ingest'] }, "field 'stages[1]' repeats 'ingest'"],
    [{ ...valid, stages: ['recompute', 'ingest'] }, "field 'stages' must follow the data flow order"],
    [{ ...valid, requires: ['account'] }, "field 'requires[0]' is 'account'"],
    [{ ...valid, schedule: 'daily' }, "field 'schedule' is not a pipeline field"],
    [{ ...valid, stage: ['ingest'] }, "field 'stage' is not a pipeline field (did you mean 'stages'?)"],
    [null, 'must be an object'],
    [['ingest'], 'must be an object'],
  ])('refuses an invalid definition, naming the field (%#)', (definition, message) => {
    expect(() => validatePipeline(definition, 'p.yaml')).toThrow(InputError);
    expect(() => validatePipeline(definition, 'p.yaml')).toThrow(message);
  });

  it.each([
    ['p.yaml', 'name: [unclosed\n', /pipeline file .*p\.yaml is not valid YAML: .*line \d+/],
    ['p.json', '{"name": "x",}', /pipeline file .*p\.json is not valid JSON/],
    ['p.yml', 'name: a\nname: b\n', /not valid YAML: .*(duplicate|unique)/i],
    ['p.yaml', '', /field '\(top level\)' must be an object/],
    ['p.yaml', 'name: !!js/function "function () {}"\n', /not valid YAML|field 'name'/],
    [
      'p.yaml',
      `name: ok\ndescription: d\nstages: [ingest]\nextra: &a [*a]\n`,
      /not valid YAML|'extra' is not a pipeline field/,
    ],
  ])('refuses a broken file %s with one line naming it', async (name, content, message) => {
    const path = await pipelineFile(name, content);
    await expect(loadPipeline(path)).rejects.toThrow(InputError);
    await expect(loadPipeline(path)).rejects.toThrow(message);
  });

  it('refuses an unknown pipeline name with a suggestion, and a missing file', async () => {
    await expect(loadPipeline('weekly')).rejects.toThrow(/unknown pipeline 'weekly'/);
    await expect(loadPipeline('nightley')).rejects.toThrow(/unknown pipeline 'nightley' \(did you mean 'nightly'\?\)/);
    await expect(loadPipeline('missing/pipeline.yaml')).rejects.toThrow(
      /pipeline file missing\/pipeline.yaml cannot be read: no such file/,
    );
  });
});
