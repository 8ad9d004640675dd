// docs/parquet-schemas.md is the public description of the Parquet files: it must list exactly the columns and
// types the export writes, table by table, in file order.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportParquet } from '../../src/export/index.ts';
import { EXPORT_TABLES } from '../../src/export/tables.ts';
import { insertExportFixture } from '../fixtures/report/export-warehouse.ts';
import { openTestWarehouse } from '../helpers/warehouse.ts';

interface DocumentedTable {
  grain: string | undefined;
  columns: { column_name: string; column_type: string }[];
}

function parseDoc(markdown: string): Map<string, DocumentedTable> {
  const tables = new Map<string, DocumentedTable>();
  for (const section of markdown.split(/^## /m).slice(1)) {
    const [title = '', ...body] = section.split('\n');
    const rows = body
      .filter((line) => line.startsWith('|'))
      .map((line) => line.split('|').map((cell) => cell.trim()))
      .filter(([, first = '']) => first !== 'column' && !first.startsWith('---')); // header and rule rows
    if (rows.length === 0) continue; // prose sections
    tables.set(title.trim(), {
      grain: /^Grain: (.+)$/m.exec(section)?.[1],
      columns: rows.map(([, column_name = '', column_type = '']) => ({ column_name, column_type })),
    });
  }
  return tables;
}

describe('docs/parquet-schemas.md', () => {
  it('documents every exported table with its grain and exactly its Parquet columns and types', async () => {
    const doc = parseDoc(await readFile(join(import.meta.dirname, '..', '..', 'docs', 'parquet-schemas.md'), 'utf8'));
    expect([...doc.keys()].sort()).toEqual(EXPORT_TABLES.map((table) => table.name).sort());

    const out = await mkdtemp(join(tmpdir(), 'recon-parquet-doc-'));
    const wh = await openTestWarehouse();
    await insertExportFixture(wh);
    try {
      await exportParquet(wh, out, ['2024-05']);
      for (const table of EXPORT_TABLES) {
        const written = await wh.rows(
          'select column_name, column_type from (describe select * from read_parquet($path))',
          {
            path: join(
              out,
              'parquet',
              table.name,
              ...(table.partitioning === 'none' ? [] : ['billing_month=2024-05']),
              'data.parquet',
            ),
          },
        );
        expect(doc.get(table.name)?.columns, table.name).toEqual(written);
        expect(doc.get(table.name)?.grain, table.name).toMatch(/^`[a-z_ ×]+`\. Sorted by/);
        // No column of the warehouse relation is silently left out of the public file.
        const source = await wh.rows<{ column_name: string }>(
          `select column_name from information_schema.columns
           where table_catalog = current_database() and table_name = $name order by ordinal_position`,
          { name: table.source },
        );
        const writtenNames = written.map((column) => column.column_name);
        expect(
          source.map((column) => column.column_name).filter((name) => !writtenNames.includes(name)),
          table.name,
        ).toEqual([]);
      }
    } finally {
      wh.close();
      await rm(out, { recursive: true, force: true });
    }
  });
});
