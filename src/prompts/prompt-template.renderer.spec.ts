import { GatewayError } from '../common/errors/gateway.error';
import { renderPrompt, templateVariables } from './prompt-template.renderer';
import type { PromptChatMessage, PromptVersion } from './prompt-version.model';

function prompt(template: string | PromptChatMessage[]): PromptVersion {
  return {
    name: 'greeter',
    version: '4',
    type: typeof template === 'string' ? 'text' : 'chat',
    template,
    variables: templateVariables(template),
    syntax: 'double-brace',
  };
}

describe(templateVariables.name, () => {
  it('lists each placeholder once, in order, with or without spaces in the braces', () => {
    expect(templateVariables('{{ b }} and {{a}} then {{b}} and {{ user.name }}')).toEqual([
      'b',
      'a',
      'user.name',
    ]);
  });

  it('reads chat messages, content parts included, and ignores non-placeholders', () => {
    const template: PromptChatMessage[] = [
      { role: 'system', content: 'You help with {{product}}. {{ 1x }} {single} {{}}' },
      { role: 'user', content: [{ type: 'text', text: '{{question}}' }, { type: 'image_url' }] },
    ];
    expect(templateVariables(template)).toEqual(['product', 'question']);
  });
});

describe(renderPrompt.name, () => {
  it('fills every placeholder of a text prompt', () => {
    const sut = prompt('Hello {{ name }}, you have {{count}} new {{ name }} messages');
    expect(renderPrompt(sut, { name: 'Ada', count: 3 })).toBe(
      'Hello Ada, you have 3 new Ada messages',
    );
  });

  it('renders values as text: strings as they are, booleans and numbers as such, objects as JSON', () => {
    const sut = prompt('{{s}}|{{n}}|{{b}}|{{o}}');
    expect(renderPrompt(sut, { s: 'x', n: 1.5, b: false, o: { k: [1] } })).toBe(
      'x|1.5|false|{"k":[1]}',
    );
  });

  it('reads a dotted name as a key first, then as a path into objects', () => {
    const sut = prompt('{{ user.name }}');
    expect(renderPrompt(sut, { 'user.name': 'flat' })).toBe('flat');
    expect(renderPrompt(sut, { user: { name: 'nested' } })).toBe('nested');
  });

  it('does not render placeholders that come in with a value', () => {
    const sut = prompt('{{a}} {{b}}');
    expect(renderPrompt(sut, { a: '{{b}}', b: 'B' })).toBe('{{b}} B');
  });

  it('ignores variables the template does not use', () => {
    expect(renderPrompt(prompt('static'), { unused: 1 })).toBe('static');
  });

  it('renders chat messages and keeps their other fields', () => {
    const sut = prompt([
      { role: 'system', content: 'You help with {{product}}.', name: 'policy' },
      { role: 'user', content: [{ type: 'text', text: 'Q: {{question}}' }] },
    ]);
    expect(renderPrompt(sut, { product: 'arkgate', question: 'why?' })).toEqual([
      { role: 'system', content: 'You help with arkgate.', name: 'policy' },
      { role: 'user', content: [{ type: 'text', text: 'Q: why?' }] },
    ]);
  });

  it('is a 400 naming every missing variable (null counts as missing)', () => {
    const sut = prompt('{{ greeting }}, {{name}}! {{ topic }}');
    let error: unknown;
    try {
      renderPrompt(sut, { greeting: 'Hi', name: null });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({
      status: 400,
      code: 'prompt_variable_missing',
      param: 'prompt.variables.name',
    });
    expect((error as Error).message).toBe(
      'Prompt "greeter" version 4 needs variable(s) that were not given: name, topic',
    );
  });
});
