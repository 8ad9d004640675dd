// Loads an Azure JSON file (az CLI output or an ARM REST body, as users save them) into inventory_stage_json_item:
// one row per item, classified by ARM type. DuckDB parses the JSON so numbers keep their exact digits; this
// module only decides where the items are and when they were observed, and refuses files it cannot place.
import { open, readFile } from 'node:fs/promises';
import { literalFilePath } from '../db/quote.ts';
import { loadSql, type Warehouse } from '../db/warehouse.ts';
import { InputError, SqlError, errorMessage } from '../errors.ts';
import { asSubquery } from './sql.ts';

type JsonDocument = {
  is_valid: boolean;
  document_type: string | null;
  document_kind: string | null;
  observed_at_text: string | null;
  value_type: string | null;
  items_type: string | null;
};

type Container = 'array' | 'value' | 'items' | 'single';

/** Loads one JSON file's items; returns how many. `pathTime` is the observation time its path gives. */
export async function loadJson(
  wh: Warehouse,
  path: string,
  fileOrd: number,
  pathTime: string | undefined,
): Promise<number> {
  const context = { stage: 'inventory', file: path };
  await refuseUtf16(path);
  const document = await readDocument(wh, path);
  if (!document?.is_valid) throw new InputError(`${path}: not valid JSON (${await jsonProblem(path)})`);

  const container = containerOf(path, document);
  const observedAt = document.observed_at_text ?? pathTime;
  if (observedAt === undefined) {
    throw new InputError(
      `${path}: no observation time: wrap the items as {"observedAt": "2024-03-01T00:00:00Z", "value": [...]} ` +
        `or put an ISO timestamp in the file or folder name (e.g. inventory/2024-03-01T00-00Z/shares.json)`,
    );
  }
  if (document.observed_at_text !== null) {
    // not ISO, or a placeholder such as 'infinity' or 0001-01-01 (sql/inventory/stage_tables.sql)
    const checked = await wh.row<{ problem: string | null }>(
      `select case when inv_text($t) is null then 'observedAt is empty'
              else inv_time_problem('observedAt', $t, inv_timestamp($t)) end as problem`,
      { t: document.observed_at_text },
      context,
    );
    if (checked?.problem) throw new InputError(`${path}: ${checked.problem}`);
  }

  const itemSql = asSubquery(await loadSql('inventory/json_item.sql'));
  await wh.run(
    `insert into inventory_stage_json_item by name
     select $file as source_file, $file_ord::integer as file_ord, $observed_at as observed_at_text, items.*
     from (${itemSql}) as items`,
    { file: path, read_path: literalFilePath(path), file_ord: fileOrd, observed_at: observedAt, container },
    { stage: 'inventory', file: 'sql/inventory/json_item.sql' },
  );
  const count = await wh.row<{ n: number }>(
    'select count(*)::integer as n from inventory_stage_json_item where source_file = $file',
    { file: path },
    context,
  );
  return count?.n ?? 0;
}

function containerOf(path: string, document: JsonDocument): Container {
  switch (document.document_type) {
    case 'ARRAY':
      return 'array';
    case 'OBJECT':
      if (document.value_type === 'ARRAY') return 'value';
      if (document.items_type === 'ARRAY') return 'items';
      if (document.value_type !== null || document.items_type !== null) {
        throw new InputError(`${path}: its "value" / "items" member is not an array`);
      }
      if (document.observed_at_text !== null) {
        throw new InputError(`${path}: it has observedAt but no "value" or "items" array of resources`);
      }
      return 'single';
    default:
      throw new InputError(
        `${path}: the document is a JSON ${String(document.document_kind)}; ` +
          `expected an array of resources, an object with a "value" array, or one resource`,
      );
  }
}

async function readDocument(wh: Warehouse, path: string): Promise<JsonDocument | undefined> {
  try {
    return (
      await wh.rowsFromFile<JsonDocument>('inventory/json_document.sql', { read_path: literalFilePath(path) })
    )[0];
  } catch (error) {
    // DuckDB's read_text refuses bytes that are not UTF-8 (a Windows-1252 "é" from Out-File -Encoding default)
    if (error instanceof SqlError && /UTF-8/.test(errorMessage(error))) {
      throw new InputError(
        `${path}: not UTF-8 text (line ${await firstNonUtf8Line(path)}): ` +
          'save it as UTF-8 (PowerShell: | Out-File -Encoding utf8)',
      );
    }
    throw error;
  }
}

/** The 1-based line of the first byte sequence that is not UTF-8 (only on the error path: reads the whole file). */
async function firstNonUtf8Line(path: string): Promise<number> {
  const bytes = await readFile(path);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let line = 1;
  let start = 0;
  for (;;) {
    const end = bytes.indexOf(0x0a, start);
    try {
      decoder.decode(bytes.subarray(start, end < 0 ? bytes.length : end));
    } catch {
      return line;
    }
    if (end < 0) return line;
    line++;
    start = end + 1;
  }
}

/** PowerShell 5 redirection writes UTF-16; say so instead of failing on garbled text. */
async function refuseUtf16(path: string): Promise<void> {
  const handle = await open(path, 'r').catch((error: unknown) => {
    throw new InputError(`${path}: cannot read it (${errorMessage(error)})`);
  });
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    if (bytesRead === 2 && ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff))) {
      throw new InputError(`${path}: the file is UTF-16; save it as UTF-8 (PowerShell: | Out-File -Encoding utf8)`);
    }
  } finally {
    await handle.close();
  }
}

/** Where and why the JSON is invalid, from the JavaScript parser's message (used only for the message). */
async function jsonProblem(path: string): Promise<string> {
  const text = (await readFile(path, 'utf8')).replace(/^\uFEFF/, '');
  if (text.trim() === '') return 'the file is empty';
  try {
    JSON.parse(text);
    return 'DuckDB could not parse it';
  } catch (error) {
    return errorMessage(error);
  }
}
