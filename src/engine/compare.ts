// compare_data's diff of two loaded files, in DuckDB: rows matched by key columns (given, or detected: the first
// column unique and non-null on both sides, else the first few columns that are together), a full outer join,
// and a diff table holding only the rows that differ — the page shows it like any dataset — plus the counts the
// agent gets. The diff's own first and last columns never take a file column's name (diffColumnNames).

import type { DuckDBConnection } from '@duckdb/node-api';
import { CHANGE, CHANGE_COLUMN, CHANGED_COLUMNS_COLUMN, DIFF_FORMAT } from '../contract/diff.ts';
import { EngineError } from './errors.ts';
import { ROW_COLUMN, type ColumnInfo, type Dataset } from './load.ts';
import { quoteIdent, quoteString } from './sql.ts';
import { startStepTimer } from './step-timer.ts';

/** Key detection looks at this many leading shared columns at most. */
const KEY_CANDIDATES_MAX = 32;
/**
 * A composite key is looked for among this many leading candidate columns (pairs, then triples: at most 10
 * scans per side, only when no single column is a key).
 */
const COMPOSITE_KEY_COLUMNS = 5;
const COMPOSITE_KEY_SIZE_MAX = 3;

export interface TypeChange {
  column: string;
  left: string;
  right: string;
}

export interface CompareCounts {
  keys: string[];
  keys_detected: boolean;
  only_in_left: number;
  only_in_right: number;
  changed_rows: number;
  changed_by_column: Record<string, number>;
  columns_only_in_left: string[];
  columns_only_in_right: string[];
  type_changes: TypeChange[];
}

/** Which columns both sides share, which only one has, and which changed type. Pure. */
export function compareColumns(left: readonly ColumnInfo[], right: readonly ColumnInfo[]): { shared: string[]; onlyLeft: string[]; onlyRight: string[]; typeChanges: TypeChange[] } {
  const rightByName = new Map(right.map((c) => [c.name, c]));
  const leftNames = new Set(left.map((c) => c.name));
  const shared = left.filter((c) => rightByName.has(c.name)).map((c) => c.name);
  const typeChanges = left.flatMap((c) => {
    const r = rightByName.get(c.name);
    return r && r.dtype !== c.dtype ? [{ column: c.name, left: c.dtype, right: r.dtype }] : [];
  });
  return { shared, onlyLeft: left.filter((c) => !rightByName.has(c.name)).map((c) => c.name), onlyRight: right.filter((c) => !leftNames.has(c.name)).map((c) => c.name), typeChanges };
}

function isNumeric(dtype: string): boolean {
  return /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL(\(\d+,\d+\))?)$/i.test(dtype);
}

/** Types no key is detected on: floats compare badly, nested values are not keys a person would name. */
function keyable(dtype: string): boolean {
  return !/^(FLOAT|DOUBLE|REAL)$|\[|^(STRUCT|MAP|UNION)/i.test(dtype);
}

/** The column sets to try as a composite key, in order: pairs, then triples, of the leading `columns`. Pure. */
export function compositeKeyCandidates(columns: readonly string[], maxColumns = COMPOSITE_KEY_COLUMNS, maxSize = COMPOSITE_KEY_SIZE_MAX): string[][] {
  const pool = columns.slice(0, maxColumns);
  const out: string[][] = [];
  const pick = (size: number, from: number, chosen: string[]): void => {
    if (chosen.length === size) {
      out.push(chosen);
      return;
    }
    for (let i = from; i < pool.length; i++) pick(size, i + 1, [...chosen, pool[i]!]);
  };
  for (let size = 2; size <= maxSize; size++) pick(size, 0, []);
  return out;
}

/**
 * The first shared column unique and non-null on both sides, tried one at a time (a key is usually the first
 * column: two one-column scans then, where checking every candidate at once cost ~1 s of count(distinct) per
 * side on 1 M rows × 6 columns, measured); when none is, the first pair or triple of leading columns that is.
 */
async function detectKey(conn: DuckDBConnection, left: Dataset, right: Dataset, shared: string[]): Promise<string[] | undefined> {
  const types = new Map(left.columns.map((c) => [c.name, c.dtype]));
  const candidates = shared.filter((n) => keyable(types.get(n) ?? '')).slice(0, KEY_CANDIDATES_MAX);
  const unique = (ds: Dataset, cols: string[]): Promise<boolean> =>
    remembered(ds, `key:${JSON.stringify(cols)}`, async () => {
      if (cols.length === 1 && (await ascendsStrictly(conn, ds, cols[0]!))) return true;
      const q = cols.map(quoteIdent);
      const tuple = q.length === 1 ? q[0]! : `(${q.join(', ')})`;
      const nonNull = q.map((c) => `count(${c}) = count(*)`).join(' and ');
      const row = (await conn.runAndReadAll(`select count(distinct ${tuple}) = count(*) and ${nonNull} from ${ds.relation}`)).getRows()[0];
      return row?.[0] === true;
    });
  for (const n of candidates) if ((await unique(left, [n])) && (await unique(right, [n]))) return [n];
  for (const cols of compositeKeyCandidates(candidates)) if ((await unique(left, cols)) && (await unique(right, cols))) return cols;
  return undefined;
}

/**
 * Whether column `col` of `ds` is non-null and strictly ascending in row order, which proves it unique: a key
 * usually is, and this costs two scans of one column (~10–40 ms on 1 M rows) where count(distinct) cost 200–400
 * ms, measured. Each row is paired by position with the next (the column against itself shifted by one). The
 * proof does not rest on which rows DuckDB pairs: any one-to-one pairing of the values less one with the values
 * less one in which all n-1 pairs ascend strictly needs, sorted, m1 < m2 < … < mn. False says nothing either way.
 */
async function ascendsStrictly(conn: DuckDBConnection, ds: Dataset, col: string): Promise<boolean> {
  const c = quoteIdent(col);
  const sql = `select count(*) filter (where b.k > a.k)::bigint, count(a.k)::bigint, count(*)::bigint
    from (select ${c} as k from ${ds.relation}) a positional join (select ${c} as k from ${ds.relation} offset 1) b`;
  const [ascending, nonNull, rows] = ((await conn.runAndReadAll(sql)).getRows()[0] ?? []).map(Number);
  return rows !== undefined && rows > 0 && nonNull === rows && ascending === rows - 1;
}

/** A name for one of the diff's own columns that no file column has: `change`, else `diff_change`, `diff_change_2`… Pure. */
export function diffColumnName(base: string, taken: ReadonlySet<string>): string {
  const lower = new Set([...taken].map((t) => t.toLowerCase())); // DuckDB's names are case-insensitive
  if (!lower.has(base)) return base;
  for (let i = 1; ; i++) {
    const name = i === 1 ? `diff_${base}` : `diff_${base}_${i}`;
    if (!lower.has(name)) return name;
  }
}

/** The diff's own columns and the join's side marker, named apart from every column of either file. Pure. */
export function diffColumnNames(left: readonly ColumnInfo[], right: readonly ColumnInfo[]): { change: string; changed: string; marker: string } {
  const taken = new Set([...left, ...right].map((c) => c.name));
  const change = diffColumnName(CHANGE_COLUMN, taken);
  const changed = diffColumnName(CHANGED_COLUMNS_COLUMN, new Set([...taken, change]));
  return { change, changed, marker: diffColumnName('__bt_in', taken) };
}

/**
 * What a key check found, per dataset: a loaded table never changes (a changed file is loaded as a new one), and a
 * second compare of the same files then skips the two count(distinct) scans, about half its time on 1 M rows.
 */
const keyFacts = new WeakMap<Dataset, Map<string, Promise<unknown>>>();

function remembered<T>(ds: Dataset, fact: string, compute: () => Promise<T>): Promise<T> {
  let facts = keyFacts.get(ds);
  if (!facts) keyFacts.set(ds, (facts = new Map()));
  let p = facts.get(fact) as Promise<T> | undefined;
  if (!p) {
    p = compute();
    facts.set(fact, p);
    p.catch(() => facts.delete(fact)); // an interrupted check is asked again next time
  }
  return p;
}

async function checkKeysUnique(conn: DuckDBConnection, ds: Dataset, side: string, keys: string[]): Promise<void> {
  const k = keys.map(quoteIdent).join(', ');
  const [rows, distinct] = await remembered(ds, `keys:${JSON.stringify(keys)}`, async () => {
    if (keys.length === 1 && (await ascendsStrictly(conn, ds, keys[0]!))) return [ds.rows, ds.rows] as const;
    const r = (await conn.runAndReadAll(`select count(*)::bigint, count(distinct (${k}))::bigint from ${ds.relation}`)).getRows()[0] ?? [];
    return [Number(r[0]), Number(r[1])] as const;
  });
  if (rows !== distinct) {
    throw new EngineError('E_KEYS_NOT_UNIQUE', `The key ${keys.join(', ')} is not unique in the ${side} file (${rows - distinct} rows share a key with another), so rows cannot be matched one to one.`, 'Pass keys that identify each row (several columns if needed).');
  }
}

export interface CompareOptions {
  id: number;
  left: Dataset;
  right: Dataset;
  keys?: string[];
  /** Where the diff's time went, step by step (ms): the log says why a comparison was slow. */
  onSteps?: (steps: Record<string, number>) => void;
}

/** Builds the diff dataset and the counts. */
export async function runCompare(conn: DuckDBConnection, o: CompareOptions): Promise<{ dataset: Dataset; counts: CompareCounts }> {
  const t0 = performance.now();
  const { steps, step } = startStepTimer();
  const { left, right } = o;
  const cols = compareColumns(left.columns, right.columns);
  let keys = o.keys;
  if (keys && keys.length > 0) {
    const missing = keys.filter((k) => !cols.shared.includes(k));
    if (missing.length > 0) {
      throw new EngineError('E_UNKNOWN_COLUMN', `Key column${missing.length > 1 ? 's' : ''} ${missing.map((m) => JSON.stringify(m)).join(', ')} ${missing.length > 1 ? 'are' : 'is'} not in both files.`, `Columns in both: ${cols.shared.slice(0, 20).join(', ')}`);
    }
    await checkKeysUnique(conn, left, 'left', keys);
    await checkKeysUnique(conn, right, 'right', keys);
  } else {
    const found = await detectKey(conn, left, right, cols.shared);
    if (!found) {
      throw new EngineError('E_NO_KEY', `No column, nor pair or triple of the first ${COMPOSITE_KEY_COLUMNS} columns, is unique and non-null in both files, so rows cannot be matched without keys.`, `Pass keys, e.g. keys: ["id"] (columns in both: ${cols.shared.slice(0, 20).join(', ')}).`);
    }
    keys = found;
  }
  step('keys_ms');
  const keySet = new Set(keys);
  const own = diffColumnNames(left.columns, right.columns);
  const CHANGE_COL = quoteIdent(own.change);
  const CHANGED_COL = quoteIdent(own.changed);
  const IN = quoteIdent(own.marker);
  const compared = cols.shared.filter((c) => !keySet.has(c));
  // Numbers of different types compare as numbers (10 = 10.0); other type changes as text, since DuckDB's
  // implicit casts between, say, DATE and VARCHAR can fail.
  const changedType = new Set(cols.typeChanges.filter((t) => !(isNumeric(t.left) && isNumeric(t.right))).map((t) => t.column));
  const side = (alias: string, c: string): string => (changedType.has(c) ? `${alias}.${quoteIdent(c)}::varchar` : `${alias}.${quoteIdent(c)}`);
  const differs = (c: string): string => `${side('l', c)} is distinct from ${side('r', c)}`;
  const asText = (alias: string, c: string): string => `coalesce(${alias}.${quoteIdent(c)}::varchar, 'NULL')`;
  const on = keys.map((k) => `l.${quoteIdent(k)} = r.${quoteIdent(k)}`).join(' and ');
  const changedList =
    compared.length === 0
      ? '[]::varchar[]'
      : `case when l.${IN} and r.${IN} then list_filter([${compared.map((c) => `case when ${differs(c)} then ${quoteString(c)} end`).join(', ')}], x -> x is not null) else []::varchar[] end`;
  const relation = quoteIdent(`bt_ds_${o.id}`);
  const status = `case when r.${IN} is null then ${quoteString(CHANGE.onlyLeft)} when l.${IN} is null then ${quoteString(CHANGE.onlyRight)} else ${quoteString(CHANGE.changed)} end`;
  const cells = compared.map(
    (c) =>
      `case when l.${IN} and r.${IN} and ${differs(c)} then ${asText('l', c)} || ' → ' || ${asText('r', c)} else coalesce(l.${quoteIdent(c)}::varchar, r.${quoteIdent(c)}::varchar) end as ${quoteIdent(c)}`,
  );
  const keyCols = keys.map((k) => `coalesce(l.${quoteIdent(k)}, r.${quoteIdent(k)}) as ${quoteIdent(k)}`);
  const anyChange = compared.length === 0 ? 'false' : compared.map(differs).join(' or ');
  const diffSql = `select ${status} as ${CHANGE_COL}, ${[...keyCols, ...cells].join(', ')}, ${changedList} as ${CHANGED_COL}
     from (select *, true as ${IN} from ${left.relation}) l full outer join (select *, true as ${IN} from ${right.relation}) r on ${on}
     where l.${IN} is null or r.${IN} is null or ${anyChange}`;
  const order = `case ${CHANGE_COL} when ${quoteString(CHANGE.onlyLeft)} then 0 when ${quoteString(CHANGE.onlyRight)} then 1 else 2 end, ${keys.map(quoteIdent).join(', ')}`;
  // A file column named rowid shadows DuckDB's pseudo-column in the diff table too (its windows would read the
  // file's values as row positions, and show nothing): the diff then numbers its rows itself, as load.ts does.
  const ownNumbers = [...keys, ...compared].some((c) => c.toLowerCase() === 'rowid');
  const rowCol = quoteIdent(ROW_COLUMN);
  await conn.run(
    ownNumbers
      ? `create table ${relation} as select *, row_number() over (order by ${order}) - 1 as ${rowCol} from (${diffSql}) order by ${rowCol}`
      : `create table ${relation} as select * from (${diffSql}) order by ${order}`,
  );
  step('diff_ms');
  const countExprs = [
    `count(*) filter (where ${CHANGE_COL} = ${quoteString(CHANGE.onlyLeft)})`,
    `count(*) filter (where ${CHANGE_COL} = ${quoteString(CHANGE.onlyRight)})`,
    `count(*) filter (where ${CHANGE_COL} = ${quoteString(CHANGE.changed)})`,
    ...compared.map((c) => `count(*) filter (where list_contains(${CHANGED_COL}, ${quoteString(c)}))`),
    'count(*)',
  ];
  const row = (await conn.runAndReadAll(`select ${countExprs.map((e) => `${e}::bigint`).join(', ')} from ${relation}`)).getRows()[0] ?? [];
  const n = row.map(Number);
  const describe = (await conn.runAndReadAll(`describe ${relation}`)).getRowObjectsJson();
  step('counts_ms');
  o.onSteps?.(steps);
  const dataset: Dataset = {
    id: o.id,
    path: `${left.path} → ${right.path}`,
    format: DIFF_FORMAT,
    gzip: false,
    encoding: 'UTF-8',
    relation,
    rowExpr: ownNumbers ? rowCol : 'rowid',
    kind: 'table',
    columns: describe.filter((r) => r.column_name !== ROW_COLUMN).map((r) => ({ name: String(r.column_name), dtype: String(r.column_type) })),
    rows: n.at(-1) ?? 0,
    bytes: 0,
    loadMs: performance.now() - t0,
    loadedAt: new Date().toISOString(),
  };
  return {
    dataset,
    counts: {
      keys,
      keys_detected: !(o.keys && o.keys.length > 0),
      only_in_left: n[0] ?? 0,
      only_in_right: n[1] ?? 0,
      changed_rows: n[2] ?? 0,
      changed_by_column: Object.fromEntries(compared.map((c, i) => [c, n[3 + i] ?? 0])),
      columns_only_in_left: cols.onlyLeft,
      columns_only_in_right: cols.onlyRight,
      type_changes: cols.typeChanges,
    },
  };
}
