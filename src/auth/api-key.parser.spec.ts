import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadApiKeys, parseApiKeys } from './api-key.parser';

describe('parseApiKeys', () => {
  it('reads name:key pairs with optional rpm and tpm', () => {
    expect(parseApiKeys(' web:sk-1 , batch:sk-2:60:100000 ,ops:sk-3::500')).toEqual([
      { name: 'web', key: 'sk-1', rpm: undefined, tpm: undefined },
      { name: 'batch', key: 'sk-2', rpm: 60, tpm: 100000 },
      { name: 'ops', key: 'sk-3', rpm: undefined, tpm: 500 },
    ]);
  });

  it.each([
    ['web', /not name:key/],
    ['web:', /not name:key/],
    ['web:sk:1:2:3', /not name:key/],
    ['web:sk:ten', /rpm of "web:…" is not a number/],
    ['web:sk-1,web:sk-2', /"web" is used twice/],
  ])('rejects %s without printing the key', (text, message) => {
    expect(() => parseApiKeys(text)).toThrow(message);
    try {
      parseApiKeys(text);
    } catch (error) {
      expect((error as Error).message).not.toContain('sk-');
    }
  });
});

describe('loadApiKeys', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'arkgate-keys-'));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a file of one entry a line, skipping blanks and comments', () => {
    const file = join(dir, 'keys');
    writeFileSync(file, '# keys\nweb:sk-1\n\nbatch:sk-2:10\n');

    expect(loadApiKeys(file).map((entry) => entry.name)).toEqual(['web', 'batch']);
  });

  it('names a missing file', () => {
    expect(() => loadApiKeys(join(dir, 'missing'))).toThrow(/no such file/);
  });

  it('is empty when unset', () => {
    expect(loadApiKeys(undefined)).toEqual([]);
  });
});
