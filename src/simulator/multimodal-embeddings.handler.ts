import { EmbeddingVectors } from './embedding.vectors';
import { RequestFields } from './request.fields';
import { RouteContext, RouteHandler } from './route-context.model';
import { SimulatorError } from './simulator.error';
import { SimulatorReply } from './simulator-reply.model';
import { TokenCounter } from './token.counter';

const IMAGE_TOKENS = 256;

/** `POST /embeddings/multimodal`: one embedding for the whole list of text and image parts. */
export class MultimodalEmbeddingsHandler implements RouteHandler {
  handle(context: RouteContext): SimulatorReply {
    const body = RequestFields.body(context.body);
    const model = RequestFields.model(body);
    const { seed, textTokens, imageTokens } = this.read(body.input);
    const vector = EmbeddingVectors.of(`${model}\n${seed}`, EmbeddingVectors.dimensions(body));
    const promptTokens = textTokens + imageTokens;
    return {
      kind: 'json',
      status: 200,
      body: {
        id: context.requestId,
        object: 'list',
        created: Math.floor(Date.now() / 1000),
        model,
        data: {
          object: 'embedding',
          embedding: EmbeddingVectors.encode(vector, EmbeddingVectors.format(body)),
        },
        usage: {
          prompt_tokens: promptTokens,
          total_tokens: promptTokens,
          prompt_tokens_details: { text_tokens: textTokens, image_tokens: imageTokens },
        },
      },
    };
  }

  private read(input: unknown) {
    if (input === undefined || input === null) throw SimulatorError.missing('input');
    if (!Array.isArray(input) || input.length === 0) {
      throw SimulatorError.badRequest('input must be a non-empty array of parts.', 'input');
    }
    let textTokens = 0;
    let imageTokens = 0;
    const seeds = input.map((part: unknown, index) => {
      const param = `input.${index}`;
      if (RequestFields.isObject(part) && part.type === 'text' && typeof part.text === 'string') {
        textTokens += TokenCounter.count(part.text);
        return `text:${part.text}`;
      }
      const media = this.mediaUrl(part);
      if (media === undefined) {
        throw SimulatorError.badRequest(
          `${param} must be a text, image_url or video_url part.`,
          param,
        );
      }
      imageTokens += IMAGE_TOKENS;
      return media;
    });
    return { seed: seeds.join('\n'), textTokens, imageTokens };
  }

  private mediaUrl(part: unknown): string | undefined {
    if (!RequestFields.isObject(part)) return undefined;
    const kind = part.type;
    if (kind !== 'image_url' && kind !== 'video_url') return undefined;
    const media = part[kind];
    const url = RequestFields.isObject(media) ? media.url : undefined;
    return typeof url === 'string' && url !== '' ? `${kind}:${url}` : undefined;
  }
}
