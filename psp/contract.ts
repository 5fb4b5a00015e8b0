import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/**
 * Checks JSON bodies against GOV.UK Pay's official OpenAPI 3.0 file, so the contract tests can
 * hold both our adapter (requests) and our sandbox (responses) to the real API rather than to
 * our reading of it. Test-time only: it reads the copy vendored in contracts/.
 */
export const govukPaySpecPath = fileURLToPath(
  new URL('../contracts/govuk-pay-openapi.json', import.meta.url),
);

type JsonSchema = Record<string, unknown>;
type MediaContent = { 'application/json'?: { schema?: JsonSchema } };
type Operation = {
  requestBody?: { content?: MediaContent };
  responses?: Record<string, { content?: MediaContent }>;
};
type Spec = { paths: Record<string, Record<string, Operation>>; components: JsonSchema };

export interface GovukPayContract {
  /** The spec's path template for a concrete path, e.g. /v1/payments/{paymentId}. */
  pathTemplateFor(method: string, pathname: string): string | undefined;
  /** Problems with a request body; empty when it satisfies the operation's request schema. */
  checkRequest(method: string, pathname: string, body: unknown): string[];
  /**
   * Problems with a response: an undeclared status, or a body that breaks the declared schema.
   * A declared status without content in the spec (401, 412, 204) accepts any body.
   */
  checkResponse(method: string, pathname: string, status: number, body: unknown): string[];
  /** Problems with a value checked against one named component schema. */
  checkSchema(name: string, value: unknown): string[];
}

// The components travel as one schema document with this id, so `#/components/schemas/X`
// references inside them resolve as `govuk-pay.json#/components/schemas/X`.
const componentsId = 'govuk-pay.json';

function rebaseRefs(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(rebaseRefs);
  if (schema === null || typeof schema !== 'object') return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([key, value]) =>
      key === '$ref' && typeof value === 'string' && value.startsWith('#/')
        ? [key, `${componentsId}${value}`]
        : [key, rebaseRefs(value)],
    ),
  );
}

function createAjv(spec: Spec): Ajv {
  // strict is off because the spec uses OpenAPI-only keywords (example, readOnly on $ref
  // siblings) that are not JSON Schema; `nullable` is understood by Ajv itself.
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  ajv.addFormat('int32', { type: 'number', validate: (n: number) => Math.abs(n) < 2 ** 31 });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isSafeInteger(n) });
  ajv.addSchema({ $id: componentsId, components: spec.components });
  return ajv;
}

function describe(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? 'is invalid'}`);
}

function templateMatcher(template: string): RegExp {
  const pattern = template.replace(/\{[^}]+\}/g, '[^/]+');
  return new RegExp(`^${pattern}$`);
}

export function loadGovukPayContract(specPath: string = govukPaySpecPath): GovukPayContract {
  const spec = JSON.parse(readFileSync(specPath, 'utf8')) as Spec;
  const ajv = createAjv(spec);
  // Keyed by what the schema is for, so each is compiled once per contract.
  const compiled = new Map<string, ValidateFunction>();
  const matchers = Object.keys(spec.paths).map((t) => ({ t, re: templateMatcher(t) }));

  const validate = (key: string, schema: JsonSchema, value: unknown): string[] => {
    let fn = compiled.get(key);
    if (fn === undefined) {
      fn = ajv.compile(rebaseRefs(schema) as JsonSchema);
      compiled.set(key, fn);
    }
    return fn(value) ? [] : describe(fn.errors);
  };

  const pathTemplateFor = (method: string, pathname: string): string | undefined =>
    matchers.find(({ t, re }) => re.test(pathname) && spec.paths[t]?.[method.toLowerCase()])?.t;

  const operationFor = (method: string, pathname: string): [string, Operation] | undefined => {
    const template = pathTemplateFor(method, pathname);
    const operation = template && spec.paths[template]?.[method.toLowerCase()];
    return operation ? [template, operation] : undefined;
  };

  return {
    pathTemplateFor,
    checkRequest(method, pathname, body) {
      const found = operationFor(method, pathname);
      if (found === undefined) return [`${method} ${pathname} is not in the GOV.UK Pay API`];
      const schema = found[1].requestBody?.content?.['application/json']?.schema;
      if (schema === undefined) return body === undefined ? [] : ['no request body is declared'];
      return validate(`${method} ${found[0]} request`, schema, body);
    },
    checkResponse(method, pathname, status, body) {
      const found = operationFor(method, pathname);
      if (found === undefined) return [`${method} ${pathname} is not in the GOV.UK Pay API`];
      const declared = found[1].responses?.[String(status)];
      if (declared === undefined) return [`${status} is not declared for ${method} ${found[0]}`];
      const schema = declared.content?.['application/json']?.schema;
      if (schema === undefined) return [];
      return validate(`${method} ${found[0]} ${status}`, schema, body);
    },
    checkSchema(name, value) {
      return validate(name, { $ref: `#/components/schemas/${name}` }, value);
    },
  };
}
