/** A string pattern whose matches are masked as `[REDACTED:<kind>]`. */
export interface RedactionPattern {
  kind: string;
  regex: RegExp;
  /** A substring every match contains; strings without it are not scanned. */
  hint?: string;
  /** Extra check on a match (e.g. Luhn for card numbers); absent = every match is masked. */
  accept?: (match: string) => boolean;
}

/** What TRACE_REDACT asks for: JSON keys whose values are masked, and string patterns. */
export interface RedactionRules {
  fields: Set<string>;
  patterns: RedactionPattern[];
}
