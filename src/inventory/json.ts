// Loads an Azure JSON file (az CLI output or an ARM REST body, as users save them) into inventory_stage_json_item:
// one row per item, classified by ARM type. DuckDB parses the JSON so numbers keep their exact digits; this
// module only decides where the items are and when they were observed, and refuses files it cannot place.
import { open, readFile } from 'node:fs/promises';
import { loadSql, type Warehouse } from '../db/warehouse.ts';
import { InputError, errorMessage } from '../errors.ts';
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
  const document = (await wh.rowsFromFile<JsonDocument>('inventory/json_document.sql', { file: path }))[0];
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
    const parsed = await wh.row<{ ok: boolean }>(
      'select inv_timestamp($t) is not null as ok',
      { t: document.observed_at_text },
      context,
    );
    if (!parsed?.ok) {
      throw new InputError(`${path}: observedAt '${document.observed_at_text}' is not an ISO-8601 timestamp`);
    }
  }

  const itemSql = asSubquery(await loadSql('inventory/json_item.sql'));
  await wh.run(
    `insert into inventory_stage_json_item by name
     select $file as source_file, $file_ord::integer as file_ord, $observed_at as observed_at_text, items.*
     from (${itemSql}) as items`,
    { file: path, file_ord: fileOrd, observed_at: observedAt, container },
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
