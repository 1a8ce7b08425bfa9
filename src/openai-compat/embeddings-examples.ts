export const EMBEDDINGS_EXAMPLE = {
  object: 'list',
  model: 'seed-embedding-text-250615',
  data: [
    { object: 'embedding', index: 0, embedding: [0.0123, -0.0456, 0.0789] },
    { object: 'embedding', index: 1, embedding: [-0.0321, 0.0654, -0.0987] },
  ],
  usage: { prompt_tokens: 10, total_tokens: 10 },
};

/** Request bodies shown in the API docs, one per way of reaching ModelArk. */
export const EMBEDDINGS_REQUEST_EXAMPLES = {
  text: {
    summary: 'Texts (ModelArk /embeddings)',
    value: {
      model: 'seed-embedding-text-250615',
      input: ['The food was delicious.', 'The service was slow.'],
      dimensions: 1024,
    },
  },
  multimodal: {
    summary: 'Content parts (ModelArk /embeddings/multimodal, one call per item)',
    value: {
      model: 'skylark-embedding-vision-250615',
      input: [
        { type: 'image_url', image_url: { url: 'https://example.com/bike.png' } },
        [
          { type: 'text', text: 'a red bicycle' },
          { type: 'image_url', image_url: { url: 'https://example.com/bike.png' } },
        ],
      ],
    },
  },
};
