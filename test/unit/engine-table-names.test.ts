// engine/table-names.ts: the SQL name each loaded file gets.

import { describe, expect, it } from 'vitest';
import { tableNameFor } from '../../src/engine/table-names.ts';

const reserved = new Set(['select', 'order', 'table']);
const none = new Map<string, string>();

describe('tableNameFor', () => {
  it('names a file after its stem, lower case, without extensions', () => {
    expect(tableNameFor('/d/sales.csv', none, reserved)).toBe('sales');
    expect(tableNameFor('/d/Sales Report 2024.csv.gz', none, reserved)).toBe('sales_report_2024');
    expect(tableNameFor('/d/café-data.parquet', none, reserved)).toBe('cafe_data');
  });
  it('makes a name SQL-safe: no leading digit, no reserved word, none of our own prefixes, never empty', () => {
    expect(tableNameFor('/d/2024.csv', none, reserved)).toBe('t_2024');
    expect(tableNameFor('/d/order.csv', none, reserved)).toBe('order_data');
    expect(tableNameFor('/d/bt_ds_1.csv', none, reserved)).toBe('t_bt_ds_1');
    expect(tableNameFor('/d/---.csv', none, reserved)).toBe('data');
    expect(tableNameFor('/d/.hidden', none, reserved)).toBe('hidden');
  });
  it('keeps the same name for the same file and numbers another file with the same stem', () => {
    const taken = new Map([['sales', '/a/sales.csv']]);
    expect(tableNameFor('/a/sales.csv', taken, reserved)).toBe('sales');
    expect(tableNameFor('/b/sales.csv', taken, reserved)).toBe('sales_2');
    expect(tableNameFor('/b/sales.tsv', new Map([...taken, ['sales_2', '/b/sales.csv']]), reserved)).toBe('sales_3');
  });
});
