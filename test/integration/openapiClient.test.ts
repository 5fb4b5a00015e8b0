// Proves an integrator can work from /v1/openapi.json alone (#19, defect 11): types generated
// from it with openapi-typescript, a client made with openapi-fetch, type-checked strictly, then
// run with an API key: it takes a payment (with an Idempotency-Key) and uploads an income file
// (multipart). The document declares the Bearer scheme, 401/403 on every protected operation,
// the header and the upload body; a path asked with a method it lacks answers 405 with Allow.
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeTable } from '../../api/app';
import { runSeedsOnce } from '../../db/seed';
import { demoSeeds } from '../../db/seeds';
import { generateCollectionFile } from '../../domain/imports';
import { useSandboxStack } from '../harness/sandbox';

const stack = useSandboxStack();
// Inside node_modules so the generated client resolves openapi-fetch as an integrator's would.
const folder = join(
  process.cwd(),
  'node_modules',
  '.cache',
  `ims-client-${randomBytes(4).toString('hex')}`,
);
// biome-ignore lint/suspicious/noExplicitAny: the document is read as JSON, path by path.
let document: Record<string, any>;

const clientSource = `
import createClient from 'openapi-fetch';
import type { paths } from './ims-api';

export async function takePaymentAndUpload(baseUrl: string, apiKey: string, file: string) {
  const client = createClient<paths>({ baseUrl, headers: { Authorization: \`Bearer \${apiKey}\` } });
  const payment = await client.POST('/v1/payments', {
    params: { header: { 'Idempotency-Key': 'generated-client-payment' } },
    body: {
      lines: [{ fundCode: 'CTAX', reference: '123456780', amountPence: 1234 }],
      description: 'Council tax',
      returnUrl: 'https://council.example/paid',
    },
  });
  const upload = await client.POST('/v1/imports', {
    body: { profileId: 'post-office', file },
    bodySerializer: (body) => {
      const form = new FormData();
      form.append('profileId', body.profileId);
      form.append('file', new Blob([body.file]), 'po-generated.txt');
      return form;
    },
  });
  return {
    payment: { status: payment.response.status, paymentId: payment.data?.paymentId },
    upload: { status: upload.response.status, importId: upload.data?.importId },
  };
}
`;

beforeAll(async () => {
  await runSeedsOnce(stack.database.sql, demoSeeds);
  document = (await stack.request('GET', '/v1/openapi.json')).body;
  mkdirSync(folder, { recursive: true });
});

afterAll(async () => {
  rmSync(folder, { recursive: true, force: true });
});

describe('the OpenAPI document', () => {
  it('declares the Bearer scheme, and 401 and 403 on every protected operation', () => {
    expect(document.components.securitySchemes.apiKey).toMatchObject({
      type: 'http',
      scheme: 'bearer',
    });
    expect(document.security).toEqual([{ apiKey: [] }, { session: [] }]);
    for (const route of routeTable(stack.api)) {
      const operation =
        document.paths[route.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')][route.method];
      if ('public' in route.access) {
        expect(operation.security, route.operationId).toEqual([]);
      } else {
        expect(Object.keys(operation.responses), route.operationId).toEqual(
          expect.arrayContaining(['401', '403']),
        );
      }
    }
  });

  it('declares the Idempotency-Key header and the multipart upload body', () => {
    const create = document.paths['/v1/payments'].post;
    expect(create.parameters).toContainEqual(
      expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: false }),
    );
    const upload = document.paths['/v1/imports'].post.requestBody.content['multipart/form-data'];
    expect(upload.schema.properties.file).toMatchObject({ type: 'string', format: 'binary' });
    expect(upload.schema.required).toEqual(['profileId', 'file']);
  });
});

describe('a client generated from the document', () => {
  it('type-checks, then takes a payment and uploads a file with an API key', {
    timeout: 60_000,
  }, async () => {
    writeFileSync(join(folder, 'ims-api.d.ts'), astToString(await openapiTS(document as never)));
    const clientPath = join(folder, 'client.ts');
    writeFileSync(clientPath, clientSource);
    const program = ts.createProgram([clientPath], {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
      skipLibCheck: true,
      types: [],
    });
    const problems = ts
      .getPreEmitDiagnostics(program)
      .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    expect(problems).toEqual([]);

    const compiled = ts.transpileModule(clientSource, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    });
    const modulePath = join(folder, 'client.mjs');
    writeFileSync(modulePath, compiled.outputText);
    const client = await import(pathToFileURL(modulePath).href);
    const headers = await stack.keyFor('generated-client', ['view', 'payment.take', 'import']);
    const key = headers.Authorization!.replace(/^Bearer /, '');
    const file = [
      ...generateCollectionFile({
        rows: 5,
        unidentifiableRatio: 0,
        seed: 19,
        transactionDate: '2026-11-21',
      }),
    ].join('');
    const result = await client.takePaymentAndUpload(stack.baseUrl, key, file);
    expect(result.payment.status).toBe(201);
    expect(result.payment.paymentId).toMatch(/^pay_/);
    expect(result.upload.status).toBe(202);
    expect(result.upload.importId).toMatch(/\S/);
  });
});

describe('a method a path does not have', () => {
  it('is answered 405 naming the methods it has', async () => {
    const response = await stack.request('DELETE', '/v1/payments');
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD, POST');
    expect(response.headers.get('content-type')).toMatch(/problem\+json/);
    const unknown = await stack.request('GET', '/v1/no-such-thing');
    expect(unknown.status).toBe(404);
  });
});
