const REASONING_MODEL = /thinking|reason|(^|[^a-z0-9])r1([^0-9]|$)/i;

/** Whether ModelArk would think before answering, from the model and the request's switches. */
export class ReasoningPolicy {
  static applies(model: string, thinkingType: unknown, effort: unknown): boolean {
    if (effort === 'minimal') return false;
    if (thinkingType === 'enabled') return true;
    if (thinkingType === 'disabled') return false;
    return REASONING_MODEL.test(model);
  }
}
