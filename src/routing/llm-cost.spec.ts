import { llmCost } from './llm-cost';

const PRICE = { input: 0.25, output: 2, cachedInput: 0.05 };

describe(llmCost.name, () => {
  it('prices input and output tokens per million', () => {
    expect(llmCost(PRICE, { input_tokens: 1_000, output_tokens: 500 })).toEqual({
      input_cost: 0.00025,
      output_cost: 0.001,
      total_cost: 0.00125,
    });
  });

  it('prices cached input tokens apart, as a part of the input tokens', () => {
    expect(
      llmCost(PRICE, { input_tokens: 1_000, output_tokens: 0, cache_read_input_tokens: 800 }),
    ).toEqual({ input_cost: 0.00009, output_cost: 0, total_cost: 0.00009 });
  });

  it('prices cached tokens as input without a cachedInput price', () => {
    expect(
      llmCost({ input: 1, output: 1 }, { input_tokens: 10, cache_read_input_tokens: 10 }),
    ).toMatchObject({ input_cost: 0.00001 });
  });

  it('is undefined without a price or without usage', () => {
    expect(llmCost(undefined, { input_tokens: 1 })).toBeUndefined();
    expect(llmCost(PRICE, undefined)).toBeUndefined();
    expect(llmCost(PRICE, {})).toBeUndefined();
  });
});
