import { z } from 'zod';
import { sessionCookie } from './auth/authenticate';
import { problemSchema } from './problem';
import type { AnyRoute, UploadFiles } from './route';

/**
 * Builds the OpenAPI 3.1 document from the route table. OpenAPI 3.1 speaks JSON Schema
 * 2020-12, which is what zod emits, so no translation layer sits between the two.
 */
type JsonSchema = Record<string, unknown>;

const componentSchemas = new Map<string, JsonSchema>();

/**
 * zod puts schemas that carry a `meta({ id })` into `$defs`; OpenAPI wants them under
 * components. Hoist each one there and point every `$ref` at its new home. An input schema
 * that differs from the output one of the same id (defaults make fields optional) gets an
 * `Input` suffix, so neither overwrites the other.
 */
function hoistDefinitions(json: JsonSchema, io: 'input' | 'output'): JsonSchema {
  const defs = (json.$defs ?? {}) as Record<string, JsonSchema>;
  delete json.$defs;
  delete json.$schema;
  const names = new Map<string, string>();
  for (const [id, definition] of Object.entries(defs)) {
    const existing = componentSchemas.get(id);
    const clash = existing !== undefined && JSON.stringify(existing) !== JSON.stringify(definition);
    names.set(
      id,
      clash || (io === 'input' && existing === undefined && componentSchemas.has(`${id}Input`))
        ? `${id}Input`
        : id,
    );
  }
  const rewrite = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(rewrite);
    if (typeof value !== 'object' || value === null) return value;
    const out: JsonSchema = {};
    for (const [key, inner] of Object.entries(value)) {
      if (key === '$ref' && typeof inner === 'string' && inner.startsWith('#/$defs/')) {
        const id = inner.slice('#/$defs/'.length);
        out[key] = `#/components/schemas/${names.get(id) ?? id}`;
      } else {
        out[key] = rewrite(inner);
      }
    }
    return out;
  };
  for (const [id, definition] of Object.entries(defs))
    componentSchemas.set(names.get(id) ?? id, rewrite(definition) as JsonSchema);
  return rewrite(json) as JsonSchema;
}

function toSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const json = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
  }) as JsonSchema;
  return hoistDefinitions(json, io);
}

function openApiPath(expressPath: string): string {
  return expressPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function parameters(route: AnyRoute): unknown[] {
  const result: unknown[] = [];
  if (route.idempotencyKey !== undefined) {
    result.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description: route.idempotencyKey,
      schema: { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,200}$' },
    });
  }
  for (const [location, schema] of [
    ['path', route.params],
    ['query', route.query],
  ] as const) {
    if (schema === undefined) continue;
    const json = toSchema(schema, 'input');
    const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((json.required ?? []) as string[]);
    for (const [name, property] of Object.entries(properties)) {
      result.push({
        name,
        in: location,
        required: location === 'path' || required.has(name),
        ...(typeof property.description === 'string' ? { description: property.description } : {}),
        schema: property,
      });
    }
  }
  return result;
}

function problemResponse(description: string) {
  return {
    description,
    content: { 'application/problem+json': { schema: toSchema(problemSchema, 'output') } },
  };
}

function operation(route: AnyRoute) {
  const responses: Record<string, unknown> = {};
  const success = route.success;
  responses[String(route.successStatus)] = {
    description: success.description,
    ...(success.schema === undefined
      ? {}
      : {
          content: {
            [success.contentType ?? 'application/json']: {
              schema: toSchema(success.schema, 'output'),
            },
          },
        }),
  };
  if (
    route.body !== undefined ||
    route.params !== undefined ||
    route.query !== undefined ||
    route.upload !== undefined
  ) {
    responses['400'] = problemResponse('The request is not valid; `errors` names each field');
  }
  const access = route.access;
  const isPublic = 'public' in access;
  if (!('public' in access)) {
    responses['401'] = problemResponse('No API key (Bearer) or signed-in session');
    responses['403'] = problemResponse(
      `The caller lacks the \`${access.permission}\` permission, or a fund group it needs`,
    );
  }
  for (const [status, description] of Object.entries(route.errors ?? {}))
    responses[status] = problemResponse(description);
  responses['500'] = problemResponse('Internal error');
  return {
    operationId: route.operationId,
    summary: route.summary,
    tags: route.tags,
    ...(isPublic ? { security: [] } : {}),
    parameters: parameters(route),
    ...requestBody(route),
    responses,
  };
}

/** Several named files, one part each (api/route.ts `UploadFiles`). */
function filesRequestBody(upload: UploadFiles) {
  const properties: Record<string, JsonSchema> = {};
  const encoding: Record<string, { contentType: string }> = {};
  for (const [name, description] of Object.entries(upload.files)) {
    const contentType = name.endsWith('.json') ? 'application/json' : 'text/csv';
    properties[name] = { type: 'string', contentMediaType: contentType, description };
    encoding[name] = { contentType: `${contentType}, text/plain, application/octet-stream` };
  }
  return {
    requestBody: {
      required: true,
      content: {
        'multipart/form-data': {
          schema: { type: 'object', properties, required: [...upload.required] },
          encoding,
        },
      },
    },
  };
}

function requestBody(route: AnyRoute) {
  if (route.upload !== undefined && 'files' in route.upload) return filesRequestBody(route.upload);
  if (route.upload !== undefined) {
    const properties: Record<string, JsonSchema> = {};
    for (const [name, description] of Object.entries(route.upload.fields))
      properties[name] = { type: 'string', description };
    properties.file = {
      type: 'string',
      format: 'binary',
      contentMediaType: 'application/octet-stream',
      description: route.upload.file,
    };
    return {
      requestBody: {
        required: true,
        content: {
          'multipart/form-data': {
            // The fields come before the file: the upload is streamed, not buffered.
            schema: { type: 'object', properties, required: Object.keys(properties) },
            encoding: { file: { contentType: 'application/octet-stream, text/plain, text/csv' } },
          },
        },
      },
    };
  }
  if (route.body === undefined) return {};
  return {
    requestBody: {
      required: true,
      content: { 'application/json': { schema: toSchema(route.body, 'input') } },
    },
  };
}

export function buildOpenApiDocument(routes: readonly AnyRoute[], info: { version: string }) {
  componentSchemas.clear();
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = openApiPath(route.path);
    paths[path] ??= {};
    paths[path][route.method] = operation(route);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Income Management System API',
      version: info.version,
      description:
        'The IMS API: start and inspect income lifecycles. Money is integer pence. Errors are application/problem+json. Every response carries X-Request-Id.',
      license: { name: 'AGPL-3.0-or-later', identifier: 'AGPL-3.0-or-later' },
    },
    paths,
    // Every operation needs one of these unless it says `security: []` (health, webhooks).
    security: [{ apiKey: [] }, { session: [] }],
    components: {
      schemas: Object.fromEntries(componentSchemas),
      securitySchemes: {
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          description:
            'An IMS API key, made on the API keys screen or with POST /v1/api-keys: `Authorization: Bearer ims_…`',
        },
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: sessionCookie,
          description:
            'A signed-in staff session (the screens). State-changing requests also need the X-CSRF-Token header from GET /v1/me.',
        },
      },
    },
  };
}
