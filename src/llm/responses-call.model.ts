/**
 * A Responses API request as arkgate forwards it: `model` and `input` are known, every other
 * field goes to ModelArk untouched.
 */
export interface ResponsesParams {
  model?: string;
  input: string | object[];
  [field: string]: unknown;
}
