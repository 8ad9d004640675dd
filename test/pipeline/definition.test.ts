import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.ts';
import { loadPipeline, validatePipeline } from '../../src/pipeline/definition.ts';

const valid = { name: 'my-run', description: 'ingest only', stages: ['ingest'] };

describe('pipeline definitions', () => {
  it('loads the built-in pipelines', async () => {
    expect((await loadPipeline('nightly')).stages[0]).toBe('ingest');
    expect((await loadPipeline('dispute')).requires).toEqual(['month', 'resource']);
  });

  it('loads a user pipeline file', async () => {
    const pipeline = await loadPipeline(join(import.meta.dirname, '../fixtures/pipelines/ingest-only.ts'));
    expect(pipeline).toEqual({ name: 'ingest-only', description: 'Only ingest the exports.', stages: ['ingest'] });
  });

  it.each([
    [{ ...valid, name: 'Bad Name' }, "field 'name'"],
    [{ ...valid, description: '' }, "field 'description'"],
    [{ ...valid, stages: [] }, "field 'stages' must be a non-empty array"],
    [{ ...valid, stages: ['ingest', 'publish'] }, "field 'stages[1]' is 'publish'; known stages:"],
    [{ ...valid, stages: ['ingest', 'ingest'] }, "field 'stages[1]' repeats 'ingest'"],
    [{ ...valid, stages: ['recompute', 'ingest'] }, "field 'stages' must follow the data flow order"],
    [{ ...valid, requires: ['account'] }, "field 'requires[0]' is 'account'"],
    [{ ...valid, schedule: 'daily' }, "field 'schedule' is not a pipeline field"],
    [null, 'must be an object'],
  ])('refuses an invalid definition, naming the field (%#)', (definition, message) => {
    expect(() => validatePipeline(definition, 'p.ts')).toThrow(InputError);
    expect(() => validatePipeline(definition, 'p.ts')).toThrow(message);
  });

  it('refuses an unknown pipeline name and an unloadable file', async () => {
    await expect(loadPipeline('weekly')).rejects.toThrow(/unknown pipeline 'weekly'/);
    await expect(loadPipeline('missing/pipeline.ts')).rejects.toThrow(
      /pipeline file missing\/pipeline.ts could not be loaded/,
    );
  });
});
