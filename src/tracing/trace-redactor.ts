import { RedactionRules } from './redaction-rules.model';

export const REDACTED = '[REDACTED]';

/** Masks configured fields (any depth) and pattern matches inside strings; returns new values. */
export class TraceRedactor {
  constructor(private readonly rules: RedactionRules) {}

  get active(): boolean {
    return this.rules.fields.size > 0 || this.rules.patterns.length > 0;
  }

  redact(value: unknown): unknown {
    if (!this.active) return value;
    return this.walk(value, 0);
  }

  redactText(text: string): string {
    let result = text;
    for (const { kind, regex, accept, hint } of this.rules.patterns) {
      if (hint !== undefined && !result.includes(hint)) continue;
      regex.lastIndex = 0;
      result = result.replace(regex, (match) =>
        !accept || accept(match) ? `[REDACTED:${kind}]` : match,
      );
    }
    return result;
  }

  private walk(value: unknown, depth: number): unknown {
    if (typeof value === 'string') return this.redactText(value);
    if (typeof value !== 'object' || value === null || depth > 64) return value;
    if (Array.isArray(value)) return value.map((item) => this.walk(item, depth + 1));
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      result[key] = this.rules.fields.has(key.toLowerCase())
        ? REDACTED
        : this.walk(item, depth + 1);
    }
    return result;
  }
}
