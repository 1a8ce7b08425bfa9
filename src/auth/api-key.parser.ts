import { existsSync, readFileSync } from 'node:fs';
import type { ApiKeyEntry } from './principal.model';

function limit(value: string | undefined, what: string, line: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^\d+$/.test(value))
    throw new Error(`GATEWAY_API_KEYS: ${what} of "${line}" is not a number`);
  return Number(value);
}

/** Parses `name:key[:rpm[:tpm]]` entries (comma- or newline-separated); names the bad entry. */
export function parseApiKeys(text: string): ApiKeyEntry[] {
  const entries: ApiKeyEntry[] = [];
  const lines = text
    .split(/[,\n]/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  for (const line of lines) {
    const [name, key, rpm, tpm, ...rest] = line.split(':').map((part) => part.trim());
    const shown = `${name}:…`;
    if (!name || !key || rest.length > 0) {
      throw new Error(`GATEWAY_API_KEYS: entry "${shown}" is not name:key[:rpm[:tpm]]`);
    }
    if (entries.some((entry) => entry.name === name)) {
      throw new Error(`GATEWAY_API_KEYS: the name "${name}" is used twice`);
    }
    entries.push({ name, key, rpm: limit(rpm, 'rpm', shown), tpm: limit(tpm, 'tpm', shown) });
  }
  return entries;
}

/** GATEWAY_API_KEYS is either the entries themselves or the path of a file holding them. */
export function loadApiKeys(value: string | undefined): ApiKeyEntry[] {
  if (!value || value.trim() === '') return [];
  const trimmed = value.trim();
  const isFile = !trimmed.includes(':') || existsSync(trimmed);
  if (!isFile) return parseApiKeys(trimmed);
  if (!existsSync(trimmed)) throw new Error(`GATEWAY_API_KEYS: no such file ${trimmed}`);
  return parseApiKeys(readFileSync(trimmed, 'utf8'));
}
