import { EmbeddingVectors } from './embedding.vectors';
import { RequestFields } from './request.fields';
import { RouteContext, RouteHandler } from './route-context.model';
import { SimulatorError } from './simulator.error';
import { SimulatorReply } from './simulator-reply.model';
import { TokenCounter } from './token.counter';

interface EmbeddingInput {
  seed: string;
  tokens: number;
}

/** `POST /embeddings`: OpenAI's text embeddings, one vector per input. */
export class EmbeddingsHandler implements RouteHandler {
  handle(context: RouteContext): SimulatorReply {
    const body = RequestFields.body(context.body);
    const model = RequestFields.model(body);
    const inputs = this.inputs(body.input);
    const dimensions = EmbeddingVectors.dimensions(body);
    const format = EmbeddingVectors.format(body);
    const data = inputs.map((input, index) => ({
      object: 'embedding',
      index,
      embedding: EmbeddingVectors.encode(
        EmbeddingVectors.of(`${model}\n${input.seed}`, dimensions),
        format,
      ),
    }));
    const tokens = inputs.reduce((sum, input) => sum + input.tokens, 0);
    return {
      kind: 'json',
      status: 200,
      body: {
        id: context.requestId,
        object: 'list',
        created: Math.floor(Date.now() / 1000),
        model,
        data,
        usage: { prompt_tokens: tokens, total_tokens: tokens },
      },
    };
  }

  /** A string, an array of strings, or token arrays, as OpenAI accepts. */
  private inputs(input: unknown): EmbeddingInput[] {
    if (input === undefined || input === null || input === '')
      throw SimulatorError.missing('input');
    if (typeof input === 'string') return [this.text(input)];
    if (!Array.isArray(input) || input.length === 0) {
      throw SimulatorError.badRequest('input must be a string or a non-empty array.', 'input');
    }
    if (input.every((item) => typeof item === 'number')) {
      return [{ seed: JSON.stringify(input), tokens: input.length }];
    }
    return input.map((item: unknown, index) => {
      if (typeof item === 'string') return this.text(item);
      if (Array.isArray(item) && item.every((token) => typeof token === 'number')) {
        return { seed: JSON.stringify(item), tokens: item.length };
      }
      const param = `input.${index}`;
      throw SimulatorError.badRequest(`${param} must be a string or an array of tokens.`, param);
    });
  }

  private text(text: string): EmbeddingInput {
    return { seed: text, tokens: TokenCounter.count(text) };
  }
}
