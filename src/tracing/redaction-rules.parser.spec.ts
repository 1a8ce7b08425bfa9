import { parseRedactionRules } from './redaction-rules.parser';

describe(parseRedactionRules.name, () => {
  it('returns no rules for an unset or empty value', () => {
    expect(parseRedactionRules(undefined)).toEqual({ fields: new Set(), patterns: [] });
    expect(parseRedactionRules(' , ')).toEqual({ fields: new Set(), patterns: [] });
  });

  it('splits field names, built-in patterns and regexes', () => {
    const sut = parseRedactionRules('password, Email,card,phone,re:sk-[a-z0-9]+,api_key');

    expect([...sut.fields]).toEqual(['password', 'api_key']);
    expect(sut.patterns.map((pattern) => pattern.kind)).toEqual(['email', 'card', 'phone', 're']);
    expect(sut.patterns[3].regex.source).toBe('sk-[a-z0-9]+');
  });

  it('names TRACE_REDACT when a regex is invalid', () => {
    expect(() => parseRedactionRules('re:(unclosed')).toThrow(
      /TRACE_REDACT: invalid regex "re:\(unclosed"/,
    );
  });
});
