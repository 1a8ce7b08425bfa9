import { SimulatorError } from './simulator.error';
import { RequestFields } from './request.fields';

export interface ContentSummary {
  text: string;
  images: number;
}

/** Reduces message content (a string or an array of parts, chat or responses style) to text and an image count. */
export class ContentReader {
  static read(content: unknown, param: string): ContentSummary {
    if (content === undefined || content === null) return { text: '', images: 0 };
    if (typeof content === 'string') return { text: content, images: 0 };
    if (!Array.isArray(content)) {
      throw SimulatorError.badRequest(`${param} must be a string or an array of parts.`, param);
    }
    const texts: string[] = [];
    let images = 0;
    content.forEach((part: unknown, index) => {
      if (!RequestFields.isObject(part)) {
        throw SimulatorError.badRequest(
          `${param}.${index} must be an object.`,
          `${param}.${index}`,
        );
      }
      if (typeof part.text === 'string') texts.push(part.text);
      else if (typeof part.type === 'string' && /image|video/.test(part.type)) images += 1;
    });
    return { text: texts.join('\n'), images };
  }
}
