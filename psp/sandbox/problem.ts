/**
 * A refusal the sandbox answers the way GOV.UK Pay does: an HTTP status and a body with its
 * error `code`, `description` and, for a bad attribute, the `field` (RequestError in the spec).
 */
export class SandboxProblem extends Error {
  constructor(
    readonly httpStatus: number,
    readonly code: string,
    readonly description: string,
    readonly field?: string,
  ) {
    super(`${httpStatus} ${code}: ${description}`);
    this.name = 'SandboxProblem';
  }

  toBody(): { code: string; description: string; field?: string } {
    return {
      code: this.code,
      description: this.description,
      ...(this.field === undefined ? {} : { field: this.field }),
    };
  }
}
