import { describe, expect, it } from 'vitest';
import type { LoadedEvent, LoadFailedEvent, LoadingEvent } from '../../src/contract/live-events.ts';
import { sessionEvent } from '../../src/web/connection.ts';

describe('reading the live stream', () => {
  it('reads a load that began with its path, the percent left to polling meta', () => {
    const loading: LoadingEvent = { session: 'abcdefgh', path: '/d/big.csv' };
    expect(sessionEvent('loading', loading)).toEqual({ type: 'loading', path: '/d/big.csv', percent: undefined });
  });

  it('reads a failed load with the server message and error code', () => {
    const failed: LoadFailedEvent = { session: 'abcdefgh', path: '/d/missing.csv', error_code: 'E_NOT_FOUND', message: 'File not found' };
    expect(sessionEvent('load_failed', failed)).toEqual({ type: 'load-failed', path: '/d/missing.csv', message: 'File not found', code: 'E_NOT_FOUND' });
  });

  it('reads a finished load and ignores event names the page does not know', () => {
    const loaded: LoadedEvent = { session: 'abcdefgh', path: '/d/a.csv', format: 'csv', rows: 3, columns: [], load_ms: 1, dataset_id: 3 };
    expect(sessionEvent('loaded', loaded)).toEqual({ type: 'loaded' });
    expect(sessionEvent('hello', { version: '1.0.0', pid: 1 })).toBeUndefined();
  });
});
