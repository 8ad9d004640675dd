// Observation times from paths, and which files a folder input yields.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listInputFiles, observationTimeFromPath } from '../../src/inventory/files.ts';
import { cleanup, inputFolder } from './helpers.ts';

describe('observation time from a path', () => {
  it.each([
    ['/data/inventory/2024-03-01T00-00Z/shares.json', '2024-03-01T00:00:00Z'],
    ['/data/inventory/2024-03-01T02:30:15Z/shares.json', '2024-03-01T02:30:15Z'],
    ['/data/inventory/2024-03-01/shares.json', '2024-03-01T00:00:00Z'],
    ['/data/shares-2024-03-01_0615.json', '2024-03-01T06:15:00Z'],
    // the file name wins over its folder
    ['/data/2024-03-01/shares-2024-03-02T01-00Z.json', '2024-03-02T01:00:00Z'],
    ['/data/inventory/latest/shares.json', undefined],
    ['/data/2024-02-30/shares.json', undefined],
    ['/data/build-12024-03-01/shares.json', undefined],
  ])('%s → %s', (path, expected) => {
    expect(observationTimeFromPath(path)).toBe(expected);
  });
});

describe('input files', () => {
  let folder = '';
  afterEach(async () => {
    await cleanup(folder);
  });

  it('searches folders recursively in name order, skipping hidden and non-data files', async () => {
    folder = await inputFolder({
      'b/2024-03-02/shares.json': '[]',
      'a/accounts.JSON': '[]',
      'a/share_state.csv': '',
      'a/notes.md': '',
      '.git/x.json': '[]',
      'collect.sh': '',
    });
    expect(
      await listInputFiles([folder, join(folder, 'a', 'share_state.csv')], ['.json', '.csv'], 'inventory'),
    ).toEqual([
      join(folder, 'a', 'accounts.JSON'),
      join(folder, 'a', 'share_state.csv'),
      join(folder, 'b', '2024-03-02', 'shares.json'),
    ]);
  });
});
