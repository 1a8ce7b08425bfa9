import { parseRedactionRules } from './redaction-rules.parser';
import { TraceRedactor } from './trace-redactor';

const redactor = (spec: string) => new TraceRedactor(parseRedactionRules(spec));

describe(TraceRedactor.name, () => {
  it('returns the same value when no rules are configured', () => {
    const value = { password: 'hunter2' };

    expect(redactor('').redact(value)).toBe(value);
  });

  it('masks fields at any depth, case-insensitively, without changing the input', () => {
    const input = { user: { Password: 'hunter2', name: 'Ann' }, items: [{ password: { x: 1 } }] };
    const sut = redactor('password');

    expect(sut.redact(input)).toEqual({
      user: { Password: '[REDACTED]', name: 'Ann' },
      items: [{ password: '[REDACTED]' }],
    });
    expect(input.user.Password).toBe('hunter2');
  });

  it('masks e-mail addresses and phone numbers inside strings', () => {
    const sut = redactor('email,phone');

    expect(
      sut.redact({ content: 'Mail ann.lee+x@example.co.uk or call +1 (415) 555-0132 at 10:30' }),
    ).toEqual({
      content: 'Mail [REDACTED:email] or call [REDACTED:phone] at 10:30',
    });
  });

  it('masks card numbers only when they pass the Luhn check', () => {
    const sut = redactor('card');

    expect(sut.redactText('card 4111 1111 1111 1111, order 1234567890123')).toBe(
      'card [REDACTED:card], order 1234567890123',
    );
    expect(sut.redactText('4111-1111-1111-1111')).toBe('[REDACTED:card]');
  });

  it('leaves digits inside identifiers alone', () => {
    expect(redactor('card,phone').redactText('tr-4111111111111111ab')).toBe(
      'tr-4111111111111111ab',
    );
  });

  it('masks custom regex matches', () => {
    expect(redactor('re:sk-[A-Za-z0-9]{8\\,},email').redactText('key sk-abcdefgh123 ok')).toBe(
      'key [REDACTED:re] ok',
    );
  });

  it('scans a multi-megabyte string without runaway backtracking', () => {
    const sut = redactor('email,card,phone');
    const text = `${'a'.repeat(2_000_000)} ann@example.com ${'1'.repeat(2_000_000)}`;

    expect(sut.redactText(text)).toContain('[REDACTED:email]');
  });
});
