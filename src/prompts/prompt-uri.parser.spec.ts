import { GatewayError } from '../common/errors/gateway.error';
import { parsePromptUri, toPromptRef } from './prompt-uri.parser';

function failure(call: () => unknown): GatewayError {
  try {
    call();
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected a GatewayError');
}

describe(parsePromptUri.name, () => {
  it('reads a pinned version', () => {
    expect(parsePromptUri('prompts:/support-agent/3')).toEqual({
      name: 'support-agent',
      version: '3',
    });
  });

  it('reads an alias, names with dots and underscores included', () => {
    expect(parsePromptUri('prompts:/team.support_agent@prod-eu')).toEqual({
      name: 'team.support_agent',
      alias: 'prod-eu',
    });
  });

  it.each([
    ['models:/support-agent/3', 'must start with "prompts:/"'],
    ['prompts:/support-agent', 'names no version or alias'],
    ['prompts:/support-agent/3@prod', 'names no version or alias'],
    ['prompts:/support-agent/v3', 'a version is a positive integer'],
    ['prompts:/support-agent/0', 'a version is a positive integer'],
    ['prompts:/support agent@prod', 'Invalid prompt name'],
    ['prompts:/support-agent@prod.eu', 'Invalid prompt alias'],
    ['prompts:/@prod', 'names no version or alias'],
  ])('rejects %s with a 400 saying why', (uri, why) => {
    const error = failure(() => parsePromptUri(uri));
    expect(error.status).toBe(400);
    expect(error.code).toBe('invalid_prompt_reference');
    expect(error.param).toBe('prompt.uri');
    expect(error.message).toContain(why);
    expect(error.message).toContain(uri);
  });
});

describe(toPromptRef.name, () => {
  it('takes a URI', () => {
    expect(toPromptRef({ uri: 'prompts:/greeter@production' })).toEqual({
      name: 'greeter',
      alias: 'production',
    });
  });

  it('takes a name with a version given as a number or a string', () => {
    expect(toPromptRef({ name: 'greeter', version: 2 })).toEqual({
      name: 'greeter',
      version: '2',
    });
    expect(toPromptRef({ name: 'greeter', version: '2' })).toEqual({
      name: 'greeter',
      version: '2',
    });
  });

  it('takes a name with an alias, and a bare name as the latest version', () => {
    expect(toPromptRef({ name: 'greeter', alias: 'staging' })).toEqual({
      name: 'greeter',
      alias: 'staging',
    });
    expect(toPromptRef({ name: 'greeter' })).toEqual({ name: 'greeter', alias: 'latest' });
  });

  it.each([
    [{ uri: 'prompts:/greeter/1', name: 'greeter' }, 'prompt.uri', 'not both'],
    [{ name: 'greeter', version: 1, alias: 'prod' }, 'prompt.alias', 'not both'],
    [{}, 'prompt', 'needs a uri or a name'],
    [{ name: 'greeter', version: 1.5 }, 'prompt.version', 'positive integer'],
    [{ name: 'greeter/1' }, 'prompt.name', 'Invalid prompt name'],
  ])('rejects %j (param %s)', (fields, param, why) => {
    const error = failure(() => toPromptRef(fields));
    expect(error.status).toBe(400);
    expect(error.param).toBe(param);
    expect(error.message).toContain(why);
  });
});
