// The fidelity corpus: small files (generated, never checked in) that real users and hostile inputs produce,
// each with what a faithful viewer must show — exact values through the rows API, the agent's text — or the
// named error it must give. test/e2e/view-data-fidelity.test.ts runs them all against one server.

import zlib from 'node:zlib';

export interface FidelityCase {
  name: string;
  /** File name inside the corpus directory (glob characters and all). */
  file: string;
  content: string | Buffer;
  /** Rows as the rows API must answer them (values encoded as in src/engine/values.ts). */
  rows?: unknown[][];
  /** Rows the file must load as (when `rows` does not list them). */
  rowCount?: number;
  /** [row, column, length]: a cell's string length (for cells too big to spell out). */
  cellLength?: [number, number, number];
  /** Column name → DuckDB type, for the columns named. */
  types?: Record<string, string>;
  /** Substrings or patterns the agent's text must hold. */
  text?: (string | RegExp)[];
  /** Fields the structured result must hold. */
  structured?: Record<string, unknown>;
  /** The load must fail with a message matching this (and a hint), naming nothing internal. */
  error?: RegExp;
}

const cp1252 = (s: string): Buffer => {
  const map: Record<string, number> = { '€': 0x80, '“': 0x93, '”': 0x94, '’': 0x92, '–': 0x96 };
  return Buffer.from([...s].map((ch) => map[ch] ?? ch.charCodeAt(0)));
};

const utf16 = (s: string, be: boolean): Buffer => {
  const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]);
  return be ? Buffer.from(le).swap16() : le;
};

const nested = (depth: number): string => `[{"x": ${'['.repeat(depth)}${']'.repeat(depth)}}]`;

/** Files that must load, with the values they must show. */
export const LOADS: FidelityCase[] = [
  { name: 'literal brackets in the name', file: 'g[1].csv', content: 'a,b\n2,bracket\n', rows: [[2, 'bracket']] },
  { name: 'literal star in the name', file: 'star*.csv', content: 'a,b\n3,star\n', rows: [[3, 'star']], text: ['star*.csv — 1 rows'] },
  { name: 'literal question mark and braces', file: 'q?{1,2}.csv', content: 'a\n9\n', rows: [[9]] },
  { name: 'utf8 bom', file: 'bom.csv', content: '\ufeffid,name\n1,Zoë\n', rows: [[1, 'Zoë']], types: { id: 'BIGINT' }, text: ['UTF-8 with BOM'] },
  { name: 'crlf line ends', file: 'crlf.csv', content: 'a,b\r\n1,x\r\n2,y\r\n', rows: [[1, 'x'], [2, 'y']] },
  { name: 'quoted newlines and quotes', file: 'quoted.csv', content: 'id,note\n1,"line one\nline two"\n2,"say ""hi"""\n', rows: [[1, 'line one\nline two'], [2, 'say "hi"']] },
  { name: 'duplicate and empty header names', file: 'dupes.csv', content: 'a,a,,b\n1,2,3,4\n', rows: [[1, 2, 3, 4]], text: [/^a_1\s/m] },
  { name: 'zip codes keep leading zeros', file: 'zips.csv', content: 'zip,city\n02134,Boston\n10001,NYC\n', rows: [['02134', 'Boston'], ['10001', 'NYC']], types: { zip: 'VARCHAR' } },
  { name: 'dd/mm dates', file: 'ddmm.csv', content: 'd,v\n25/12/2024,1\n31/01/2025,2\n', rows: [['2024-12-25', 1], ['2025-01-31', 2]], types: { d: 'DATE' } },
  {
    name: 'time zones',
    file: 'tz.csv',
    content: 't\n2024-05-06T07:08:09+02:00\n2024-05-06T07:08:09Z\n',
    types: { t: 'TIMESTAMP WITH TIME ZONE' },
    rows: [['2024-05-06 05:08:09+00'], ['2024-05-06 07:08:09+00']],
  },
  { name: 'decimals stay exact in text', file: 'dec.csv', content: 'x\n0.1\n0.2\n1234567.891\n', rows: [[0.1], [0.2], [1234567.891]] },
  {
    name: 'integers beyond int64',
    file: 'huge.csv',
    content: 'id,big\n1,99999999999999999999\n2,-170141183460469231731687303715884105727\n3,5\n',
    types: { big: 'HUGEINT' },
    rows: [[1, '99999999999999999999'], [2, '-170141183460469231731687303715884105727'], [3, 5]],
    text: ['"-170141183460469231731…'],
  },
  {
    name: 'integers beyond HUGEINT stay text',
    file: 'huger.csv',
    content: 'big\n1234567890123456789012345678901234567890123\n7\n',
    types: { big: 'VARCHAR' },
    rows: [['1234567890123456789012345678901234567890123'], ['7']],
  },
  { name: 'json integers beyond int64', file: 'huge.json', content: '[{"a":99999999999999999999,"b":1},{"a":1,"b":2}]', types: { a: 'HUGEINT' }, rows: [['99999999999999999999', 1], [1, 2]] },
  {
    name: 'windows-1252',
    file: 'cp1252.csv',
    content: cp1252('name,price,note\ncafé,€5,“quoted”\nnaïve,€7,it’s – fine\n'),
    rows: [['café', '€5', '“quoted”'], ['naïve', '€7', 'it’s – fine']],
    text: ['Windows-1252'],
    structured: { encoding: 'Windows-1252' },
  },
  { name: 'latin-1', file: 'latin1.csv', content: Buffer.from('ville,n\nZürich,1\nSão Paulo,2\n', 'latin1'), rows: [['Zürich', 1], ['São Paulo', 2]] },
  { name: 'utf-16le with bom', file: 'u16le.csv', content: utf16('a,b\n1,Ωmega\n2,€\n', false), rows: [[1, 'Ωmega'], [2, '€']], text: ['UTF-16LE'] },
  { name: 'utf-16be with bom', file: 'u16be.tsv', content: utf16('a\tb\n1\tñ\n', true), rows: [[1, 'ñ']], structured: { encoding: 'UTF-16BE' } },
  { name: 'windows-1252 gzip', file: 'cp.csv.gz', content: zlib.gzipSync(cp1252('a\n€1\n')), rows: [['€1']] },
  {
    name: 'null markers in numeric and date columns',
    file: 'na.csv',
    content: 'id,x,t,d\n1,1.5,NA,2024-01-02\n2,NA,a,NA\n3,N/A,b,null\n4,None,-,2024-02-03\n5,-,c,\n6,NaN,d,NULL\n7,null,e,2024-01-01\n',
    types: { x: 'DOUBLE', t: 'VARCHAR', d: 'DATE' },
    rows: [
      [1, 1.5, 'NA', '2024-01-02'],
      [2, null, 'a', null],
      [3, null, 'b', null],
      [4, null, '-', '2024-02-03'],
      [5, null, 'c', null],
      [6, null, 'd', null],
      [7, null, 'e', '2024-01-01'],
    ],
    text: [/^x\s+DOUBLE\s+6\s/m],
  },
  {
    name: 'european csv with decimal commas',
    file: 'eu.csv',
    content: 'id;price;label\n1;3,14;a\n2;NA;b\n3;-2,5;c\n',
    types: { price: 'DOUBLE' },
    rows: [[1, 3.14, 'a'], [2, null, 'b'], [3, -2.5, 'c']],
  },
  { name: 'json in a .csv', file: 'really-json.csv', content: '[{"a":1,"b":"x"},{"a":2,"b":"y"}]', rows: [[1, 'x'], [2, 'y']], structured: { format: 'json' } },
  { name: 'nesting within the limit', file: 'nest-ok.json', content: nested(200), rowCount: 1 },
  { name: '20 MB field', file: 'bigfield.csv', content: `id,text\n1,small\n2,${'x'.repeat(20 * 1024 * 1024)}\n`, types: { text: 'VARCHAR' }, rowCount: 2, cellLength: [1, 1, 20 * 1024 * 1024] },
  { name: '10,000-character column name', file: 'longname.csv', content: `${'n'.repeat(10_000)},b\n1,2\n`, rows: [[1, 2]], text: ['(10,000 characters)'] },
];

/** Files that must be refused with a named error, quickly, leaving the server up. */
export const REFUSALS: FidelityCase[] = [
  { name: 'deeply nested json', file: 'deep.json', content: nested(100_000), error: /nests arrays\/objects more than 1000 levels deep \(line 1\)/ },
  { name: 'deeply nested objects', file: 'deep-objects.ndjson', content: `{"a":1}\n${'{"a":'.repeat(30_000)}1${'}'.repeat(30_000)}\n`, error: /more than 1000 levels deep \(line 2\)/ },
  { name: 'shift-jis', file: 'sjis.csv', content: Buffer.from([0x82, 0xa0, 0x82, 0xa2, 0x2c, 0x31, 0x0a, 0x82, 0xa4, 0x82, 0xa6, 0x2c, 0x32, 0x0a]), error: /likely Shift_JIS[\s\S]*iconv -f SHIFT_JIS -t UTF-8/ },
  { name: 'random bytes', file: 'random.csv', content: Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256)), error: /binary data/ },
  { name: 'png named csv', file: 'image.csv', content: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), error: /binary data/ },
  { name: 'zip (xlsx)', file: 'book.xlsx', content: Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]), error: /binary data[\s\S]*export/i },
  { name: 'csv named parquet', file: 'fake.parquet', content: 'a,b\n1,2\n', error: /named \.parquet but holds text/ },
  { name: 'whitespace only', file: 'blank.csv', content: '  \n\n\t\n', error: /only whitespace/ },
  {
    name: 'ragged row early',
    file: 'ragged-early.csv',
    content: `a,b,c\n${Array.from({ length: 40 }, (_, i) => (i === 29 ? '1,2,3,4,5' : `${i},x,y`)).join('\n')}\n`,
    error: /line 31 has 5 fields where the header has 3 \("1,2,3,4,5"\)/,
  },
  { name: 'json syntax error line', file: 'bad.json', content: '[{"a":1},\n{"a":2},\n{"a":3,,}\n]', error: /line 3, column 8/ },
  { name: 'ndjson syntax error line', file: 'bad.ndjson', content: '{"a":1}\n{"a":2}\n{"a":3\n{"a":4}\n', error: /line 3, column 7/ },
];
