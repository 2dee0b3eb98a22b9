import { describe, expect, it } from 'vitest';
import { sessionEvent } from '../../src/web/connection.ts';

describe('reading the live stream', () => {
  it('reads a load that began with its path and percent, when the server knows one', () => {
    expect(sessionEvent('loading', { path: '/d/big.csv', percent: 12.5 })).toEqual({ type: 'loading', path: '/d/big.csv', percent: 12.5 });
    expect(sessionEvent('loading', undefined)).toEqual({ type: 'loading', path: '', percent: undefined });
  });

  it('reads a failed load with the server message, leaving the wording of a missing one to the page', () => {
    expect(sessionEvent('load_failed', { path: '/d/missing.csv', message: 'File not found' })).toEqual({ type: 'load-failed', path: '/d/missing.csv', message: 'File not found' });
    expect(sessionEvent('load_failed', { message: 42 })).toEqual({ type: 'load-failed', path: undefined, message: undefined });
  });

  it('reads a finished load and ignores event names the page does not know', () => {
    expect(sessionEvent('loaded', { dataset_id: 3 })).toEqual({ type: 'loaded' });
    expect(sessionEvent('hello', { version: '1.0.0', pid: 1 })).toBeUndefined();
  });
});
