import { RedactionPattern, RedactionRules } from './redaction-rules.model';

function digitsOf(text: string): string {
  return text.replace(/\D/g, '');
}

function passesLuhn(text: string): boolean {
  const digits = digitsOf(text);
  if (digits.length < 13 || digits.length > 19) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

// Every quantifier is bounded so a multi-megabyte string cannot make a match quadratic.
const BUILT_IN: Record<string, () => RedactionPattern> = {
  email: () => ({
    kind: 'email',
    hint: '@',
    regex:
      /(?<![\w.%+-])[\w.%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}/g,
  }),
  card: () => ({ kind: 'card', regex: /(?<!\w)\d(?:[ -]?\d){12,18}(?!\w)/g, accept: passesLuhn }),
  phone: () => ({
    kind: 'phone',
    regex: /(?<![\w+])\+?\(?\d[\d ().-]{7,20}\d(?!\w)/g,
    accept: (match) => digitsOf(match).length >= 9 && digitsOf(match).length <= 15,
  }),
};

// Card before phone, so a card number is reported as a card.
const BUILT_IN_ORDER = ['email', 'card', 'phone'];

/**
 * Parses TRACE_REDACT: comma-separated items, each a JSON field name, `email`, `phone`, `card`
 * or `re:<regex>` (a comma inside the regex is written `\,`). Throws on an invalid regex.
 */
export function parseRedactionRules(spec: string | undefined): RedactionRules {
  const rules: RedactionRules = { fields: new Set(), patterns: [] };
  const builtIns = new Set<string>();
  const custom: RedactionPattern[] = [];
  for (const item of (spec ?? '').split(/(?<!\\),/).map((part) => part.trim())) {
    if (item === '') continue;
    if (item.startsWith('re:')) {
      try {
        custom.push({ kind: 're', regex: new RegExp(item.slice(3).replaceAll('\\,', ','), 'g') });
      } catch (error) {
        throw new Error(`TRACE_REDACT: invalid regex ${JSON.stringify(item)}: ${String(error)}`);
      }
    } else if (BUILT_IN[item.toLowerCase()]) {
      builtIns.add(item.toLowerCase());
    } else {
      rules.fields.add(item.toLowerCase());
    }
  }
  for (const name of BUILT_IN_ORDER) if (builtIns.has(name)) rules.patterns.push(BUILT_IN[name]());
  rules.patterns.push(...custom);
  return rules;
}
