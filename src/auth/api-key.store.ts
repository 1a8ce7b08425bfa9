import { Inject, Injectable } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import { API_KEYS } from './auth.constants';
import type { ApiKeyEntry } from './principal.model';

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/** The configured API keys, looked up in constant time (SHA-256 digests, timingSafeEqual). */
@Injectable()
export class ApiKeyStore {
  private readonly digests: { entry: ApiKeyEntry; digest: Buffer }[];

  constructor(@Inject(API_KEYS) entries: ApiKeyEntry[]) {
    this.digests = entries.map((entry) => ({ entry, digest: digest(entry.key) }));
  }

  get size(): number {
    return this.digests.length;
  }

  /** The entry whose key is `presented`; every entry is compared, whatever matches. */
  find(presented: string): ApiKeyEntry | undefined {
    const candidate = digest(presented);
    let found: ApiKeyEntry | undefined;
    for (const { entry, digest: known } of this.digests) {
      if (timingSafeEqual(candidate, known) && !found) found = entry;
    }
    return found;
  }

  byName(name: string): ApiKeyEntry | undefined {
    return this.digests.find(({ entry }) => entry.name === name)?.entry;
  }
}
