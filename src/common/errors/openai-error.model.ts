/** OpenAI's error envelope, the body of every error arkgate answers. */
export interface OpenAiErrorBody {
  error: {
    message: string;
    type: string;
    param: string | null;
    code: string | null;
  };
}
