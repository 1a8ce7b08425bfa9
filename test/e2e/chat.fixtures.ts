import type { ModelArkSimulator } from '../../src/simulator/simulator.server';
import { HARNESS_ARK_API_KEY } from '../support/arkgate.harness';
import { Json, postJson } from './json.client';

/** A model the simulator answers without reasoning, and one it reasons with. */
export const MODEL = 'seed-1-6-250615';
export const REASONING_MODEL = 'seed-1-6-thinking-250715';

export const WEATHER_TOOL = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Current weather in a city',
    parameters: {
      type: 'object',
      properties: {
        city: { type: 'string' },
        unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
      },
      required: ['city'],
    },
  },
} as const;

export const WEATHER_QUESTION = 'What is the weather in Paris today?';

/** The arguments the simulator fills the weather tool with, for {@link WEATHER_QUESTION}. */
export const WEATHER_ARGUMENTS = { city: WEATHER_QUESTION, unit: 'celsius' };

export const userSays = (content: string) => [{ role: 'user', content }];

/**
 * What the simulator itself answers to a non-streaming chat completion `body`: the reference an
 * answer relayed by arkgate is compared with. Call it before `simulator.reset()`.
 */
export async function simulatorAnswer(simulator: ModelArkSimulator, body: object): Promise<Json> {
  const answer = await postJson(`${simulator.url}/chat/completions`, body, {
    'content-type': 'application/json',
    authorization: `Bearer ${HARNESS_ARK_API_KEY}`,
  });
  if (answer.status !== 200) throw new Error(`simulator answered ${answer.status}`);
  return answer.body;
}
