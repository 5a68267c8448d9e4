import { parse } from 'csv-parse/sync';
import { IMPORT_FIELDS } from './import-validation';
import type { RawImportRow } from './import-record';

export type ImportFileFormat = 'json' | 'csv';

/** The file as a whole cannot be read (not JSON, not an array, a CSV with an unknown column): nothing is imported. */
export class ImportFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = this.constructor.name;
  }
}

/** `--format`, else the file's extension. */
export function importFileFormat(path: string, format?: string): ImportFileFormat {
  const chosen = (format ?? path.split('.').pop() ?? '').toLowerCase();
  if (chosen === 'json' || chosen === 'csv') return chosen;
  throw new ImportFileError(`Cannot tell the format of ${path}: name it .json or .csv, or pass --format json|csv.`);
}

/** Rows with their position: a JSON array's index, a CSV record's line (the header is line 1). */
export function parseImportFile(text: string, format: ImportFileFormat): RawImportRow[] {
  return format === 'json' ? parseJson(text) : parseCsv(text);
}

function parseJson(text: string): RawImportRow[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new ImportFileError(`The file is not valid JSON${jsonFaultAt(text, err)}.`);
  }
  if (!Array.isArray(doc)) throw new ImportFileError('The JSON file must be an array of objects, one per user.');
  return doc.map((item, index) => ({
    position: { index },
    // A non-object row becomes a row with a field no import has, so it is refused with its index.
    fields: item && typeof item === 'object' && !Array.isArray(item) ? (item as Record<string, unknown>) : { $: item },
  }));
}

function parseCsv(text: string): RawImportRow[] {
  try {
    const records = parse(text, {
      bom: true,
      columns: (header: string[]) => {
        const names = header.map((h) => h.trim());
        const unknown = names.filter((h) => !(IMPORT_FIELDS as readonly string[]).includes(h));
        if (unknown.length)
          throw new ImportFileError(
            `Unknown CSV column(s) ${unknown.join(', ')}; expected ${IMPORT_FIELDS.join(', ')}.`,
          );
        if (!names.includes('userId') || !names.includes('secret'))
          throw new ImportFileError('The CSV header must name at least userId and secret.');
        return names;
      },
      skip_empty_lines: true,
      info: true,
    }) as Array<{ record: Record<string, string>; info: { lines: number } }>;
    return records.map(({ record, info }) => ({ position: { line: info.lines }, fields: record }));
  } catch (err) {
    if (err instanceof ImportFileError) throw err;
    throw new ImportFileError(`The CSV file cannot be read${csvFaultAt(err)}.`);
  }
}

/*
 * A parser's message quotes the text around the fault, which in these files is a TOTP secret
 * or a backup code: only a position (a number) and csv-parse's error code are ever reported.
 */
function jsonFaultAt(text: string, err: unknown): string {
  const message = String((err as Error)?.message ?? '');
  const at = /at position (\d+)/.exec(message)?.[1];
  if (at) return ` near position ${Number(at)}`;
  return /end of JSON input/.test(message) ? ` near position ${text.length}` : '';
}

function csvFaultAt(err: unknown): string {
  const { code, lines } = (err ?? {}) as { code?: unknown; lines?: unknown };
  const kind = typeof code === 'string' && /^CSV_[A-Z_]+$/.test(code) ? ` (${code})` : '';
  return kind + (Number.isInteger(lines) ? ` near line ${Number(lines)}` : '');
}
