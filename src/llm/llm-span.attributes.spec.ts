import {
  embeddingsRequestAttributes,
  embeddingsSpanOutputs,
  embeddingsTokenUsage,
  responsesRequestAttributes,
  responsesTokenUsage,
} from './llm-span.attributes';

describe('LLM span attributes', () => {
  it('records Responses tools in MLflow chat tool shape, built-in tools by their type', () => {
    const sut = responsesRequestAttributes({
      model: 'seed',
      input: 'hi',
      temperature: 0.3,
      tools: [
        { type: 'function', name: 'get_weather', parameters: { type: 'object' }, strict: true },
        { type: 'web_search', search_context_size: 'low' },
        { type: 'function', function: { name: 'already_chat_shaped' } },
      ],
    });

    expect(sut).toEqual({
      model: 'seed',
      temperature: 0.3,
      tools: expect.any(Array),
      'mlflow.message.format': 'openai',
      'mlflow.llm.model': 'seed',
      'mlflow.llm.provider': 'byteplus',
      'mlflow.chat.tools': [
        {
          type: 'function',
          function: { name: 'get_weather', parameters: { type: 'object' }, strict: true },
        },
        { type: 'function', function: { name: 'web_search' } },
        { type: 'function', function: { name: 'already_chat_shaped' } },
      ],
    });
  });

  it('maps Responses usage, with cached input tokens', () => {
    const usage = {
      input_tokens: 10,
      input_tokens_details: { cached_tokens: 4, cache_write_tokens: 0 },
      output_tokens: 5,
      output_tokens_details: { reasoning_tokens: 2 },
      total_tokens: 15,
    };

    expect(responsesTokenUsage(usage)).toEqual({
      input_tokens: 10,
      output_tokens: 5,
      total_tokens: 15,
      cache_read_input_tokens: 4,
    });
    expect(responsesTokenUsage(null)).toBeUndefined();
  });

  it('records embeddings parameters without message format, and usage as input only', () => {
    expect(embeddingsRequestAttributes({ model: 'emb', input: ['a'], dimensions: 8 })).toEqual({
      model: 'emb',
      dimensions: 8,
      'mlflow.llm.model': 'emb',
      'mlflow.llm.provider': 'byteplus',
    });
    expect(embeddingsTokenUsage({ prompt_tokens: 7, total_tokens: 7 })).toEqual({
      input_tokens: 7,
      output_tokens: 0,
      total_tokens: 7,
    });
  });

  it('summarizes embeddings as dimensions, float or base64', () => {
    const base64 = Buffer.alloc(4 * 3).toString('base64');
    const sut = embeddingsSpanOutputs({
      object: 'list',
      model: 'emb',
      data: [
        { object: 'embedding', index: 0, embedding: [0.1, 0.2] },
        { object: 'embedding', index: 1, embedding: base64 as unknown as number[] },
      ],
      usage: { prompt_tokens: 2, total_tokens: 2 },
    });

    expect(sut).toEqual({
      object: 'list',
      model: 'emb',
      data: [
        { object: 'embedding', index: 0, dimensions: 2 },
        { object: 'embedding', index: 1, dimensions: 3 },
      ],
      usage: { prompt_tokens: 2, total_tokens: 2 },
    });
  });
});
