import { GatewayError } from '../common/errors/gateway.error';
import { MAX_MULTIMODAL_ITEMS, planEmbeddingsRoute } from './embeddings-route.planner';

const TEXT = { type: 'text', text: 'a bike' };
const IMAGE = { type: 'image_url', image_url: { url: 'https://example.com/a.png' } };

function rejection(model: string, input: unknown): GatewayError {
  try {
    planEmbeddingsRoute(model, input);
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    return error as GatewayError;
  }
  throw new Error('expected a rejection');
}

describe(planEmbeddingsRoute.name, () => {
  it.each([
    ['a string', 'hello'],
    ['strings', ['a', 'b']],
    ['a token array', [1, 2, 3]],
    ['token arrays', [[1, 2], [3]]],
  ])('sends %s for a text model to /embeddings', (_case, input) => {
    expect(planEmbeddingsRoute('seed-embedding-text-250615', input)).toEqual({ endpoint: 'text' });
  });

  it('sends each element of input as one multimodal item', () => {
    expect(planEmbeddingsRoute('ep-20250101-abc', [IMAGE, [TEXT, IMAGE], 'plain'])).toEqual({
      endpoint: 'multimodal',
      items: [[IMAGE], [TEXT, IMAGE], [{ type: 'text', text: 'plain' }]],
    });
  });

  it('sends texts for a multimodal model as text parts', () => {
    expect(planEmbeddingsRoute('skylark-embedding-vision-250615', 'hello')).toEqual({
      endpoint: 'multimodal',
      items: [[{ type: 'text', text: 'hello' }]],
    });
  });

  it('rejects token arrays for a multimodal model, naming the item', () => {
    const sut = rejection('seed-1-6-embedding-vision-250815', ['ok', [1, 2]]);

    expect([sut.status, sut.param]).toEqual([400, 'input.1']);
    expect(rejection('skylark-embedding-vision-250615', [1, 2]).param).toBe('input');
  });

  it(`rejects more than ${MAX_MULTIMODAL_ITEMS} multimodal items`, () => {
    const sut = rejection(
      'ep-1',
      Array.from({ length: MAX_MULTIMODAL_ITEMS + 1 }, () => IMAGE),
    );

    expect([sut.status, sut.param]).toEqual([400, 'input']);
  });
});
