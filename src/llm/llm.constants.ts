/** Injection token of the process-wide OpenAI SDK client pointed at ModelArk. */
export const ARK_CLIENT = Symbol('ARK_CLIENT');
