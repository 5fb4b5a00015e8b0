// Onboarding from a CSV set through the provider's API (POST /v1/provider/councils/csv) makes the
// same council the JSON bundle makes, and a set with a problem is refused whole: 422 naming the
// file, line and column, and no council left behind.
import { beforeAll, describe, expect, it } from 'vitest';
import { providerCouncilId } from '../../domain/council';
import { demoCouncilBundle } from '../../domain/councilBundle';
import { type CsvFiles, csvFilesFromBundle } from '../../domain/councilBundleCsv';
import { demoCouncil } from '../../domain/demoCouncil';
import { keyInCouncil } from '../harness/councils';
import { useTestStack } from '../harness/stack';

const stack = useTestStack();
let providerAuth: Record<string, string>;

beforeAll(async () => {
  providerAuth = await keyInCouncil(stack, providerCouncilId, ['provider']);
});

const demoFiles = (id: string) =>
  csvFilesFromBundle(demoCouncilBundle({ id, name: `${id} council` }, demoCouncil));

async function postCsvSet(files: CsvFiles, headers = providerAuth) {
  const form = new FormData();
  for (const [name, text] of Object.entries(files))
    form.append(name, new Blob([text], { type: 'text/csv' }), name);
  const response = await fetch(`${stack.baseUrl}/v1/provider/councils/csv`, {
    method: 'POST',
    headers,
    body: form,
  });
  // biome-ignore lint/suspicious/noExplicitAny: a test reads the answer by its documented shape.
  return { status: response.status, body: (await response.json()) as any };
}

const councilRows = (id: string) => stack.database.sql`select 1 from councils where id = ${id}`;

describe('POST /v1/provider/councils/csv', () => {
  it('onboards a council whose administrator and funds exist, and whose key sees its funds', async () => {
    const onboarded = await postCsvSet(demoFiles('csvshire'));
    expect(onboarded.status, JSON.stringify(onboarded.body)).toBe(201);
    expect(onboarded.body).toMatchObject({
      councilId: 'csvshire',
      signInPath: '/sign-in?council=csvshire',
      administrator: { username: 'admin' },
    });
    const auth = await keyInCouncil(stack, 'csvshire');
    const funds = await stack.request('GET', '/v1/funds', undefined, auth);
    expect(funds.status).toBe(200);
    expect(funds.body.items.map((fund: { code: string }) => fund.code).sort()).toEqual(
      demoCouncil.funds.map((fund) => fund.code).sort(),
    );
    const users = await stack.request('GET', '/v1/users', undefined, auth);
    expect(users.body.items.map((user: { username: string }) => user.username)).toContain('admin');
  });

  it('refuses a set whose fund names a missing VAT code whole, naming file, line and column', async () => {
    const files = demoFiles('badshire');
    const [header, first, ...rest] = files['funds.csv']!.split('\r\n');
    files['funds.csv'] = [header, first!.replace(',O,', ',NOPE,'), ...rest].join('\r\n');
    const refused = await postCsvSet(files);
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toContainEqual({
      field: 'funds.csv line 2 (row 1), vatCode',
      message: 'no VAT code NOPE in the bundle',
    });
    expect(await councilRows('badshire')).toHaveLength(0);
  });

  it('refuses cells and files it cannot read, all at once, and a council that exists already', async () => {
    const { 'offices.csv': _offices, ...files } = demoFiles('badshire');
    files['vat-codes.csv'] = 'code,name,rateBasisPoints\nS,Standard,20%\nZ,Zero,nought\n';
    const refused = await postCsvSet(files);
    expect(refused.status).toBe(422);
    expect(refused.body.errors.map((error: { field: string }) => error.field)).toEqual([
      'vat-codes.csv line 2, rateBasisPoints',
      'vat-codes.csv line 3, rateBasisPoints',
      'offices.csv',
    ]);
    expect(await councilRows('badshire')).toHaveLength(0);
    const twice = await postCsvSet(demoFiles('csvshire'));
    expect(twice.status).toBe(422);
    expect(twice.body.errors[0].field).toBe('council.csv line 2, id');
  });

  it('answers 415 to a JSON body, and is documented in the OpenAPI document', async () => {
    const json = await stack.request('POST', '/v1/provider/councils/csv', {}, providerAuth);
    expect(json.status).toBe(415);
    const document = await stack.request('GET', '/v1/openapi.json');
    const operation = document.body.paths['/v1/provider/councils/csv'].post;
    const schema = operation.requestBody.content['multipart/form-data'].schema;
    expect(schema.required).toEqual(expect.arrayContaining(['council.csv', 'funds.csv']));
    expect(Object.keys(schema.properties)).toContain('gl-layout.json');
    expect(operation.responses['422']).toBeDefined();
  });
});
