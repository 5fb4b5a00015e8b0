// Proves account holders are found fuzzily (pg_trgm) by reference, name, address and postcode,
// including loaded rows whose postcode is only in the address; that one account is created and
// edited with a structured name and address, put on and off stop with a fund's reusable
// message; that bad input names the field; and that a fund-group scope hides other funds.
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestStack } from '../harness/stack';
import { expectProblem } from '../harness/writes';

const stack = useTestStack({ worker: false });

const search = async (query: string) =>
  (await stack.request('GET', `/v1/account-holders?${query}`)).body.items as {
    fundCode: string;
    reference: string;
    name: string;
  }[];

beforeAll(async () => {
  await stack.request('POST', '/v1/vat-codes', { code: 'O', name: 'Outside', rateBasisPoints: 0 });
  const fund = {
    name: 'Sundry',
    vatCode: 'O',
    maxPence: 100_000,
    ledgerCode: 'L',
    costCentre: 'C',
  };
  const validator = { minLength: 8, maxLength: 8, characterClass: 'digits' };
  const created = await stack.request('POST', '/v1/funds', { code: 'SUND', validator, ...fund });
  expect(created.status).toBe(201);
  const csv = [
    'reference,name,address,balance_pence,on_stop_message',
    '20000001,Margaret Thornbury,"12 Church Lane, Barnsley, S70 2TA",,',
    '20000002,Thomas Whitfield,"4 Mill Road, Dorchester, DT1 1XJ",,',
  ].join('\n');
  const loaded = await stack.request('PUT', '/v1/funds/SUND/account-holders', csv, {
    'content-type': 'text/csv',
  });
  expect(loaded.status).toBe(200);
});

describe('accountHolderSearch.happy', () => {
  it('finds by a misspelt name, part of an address, a reference and a postcode typed any way', async () => {
    expect((await search('q=margret%20thornbery')).map((h) => h.reference)).toContain('20000001');
    expect((await search('q=mill%20road')).map((h) => h.reference)).toEqual(['20000002']);
    expect((await search('q=20000002'))[0]?.reference).toBe('20000002');
    const byPostcode = await search('postcode=s702ta');
    expect(byPostcode.map((h) => [h.fundCode, h.reference])).toEqual([['SUND', '20000001']]);
    // One typo in a postcode is forgiven; the outward code alone finds the district.
    expect((await search('postcode=DT1%201XK')).map((h) => h.reference)).toEqual(['20000002']);
    expect((await search('postcode=DT1')).map((h) => h.reference)).toEqual(['20000002']);
    expect((await search('postcode=DT1&fundCode=CTAX')).map((h) => h.reference)).toEqual([]);
  });

  it('creates an account with a structured name and address, edits it, stops it with a reusable message', async () => {
    const message = await stack.request('POST', '/v1/funds/SUND/on-stop-messages', {
      code: 'BAILIFF',
      message: 'With the enforcement agent: do not take payment',
    });
    expect(message.status).toBe(201);
    const created = await stack.request('POST', '/v1/funds/SUND/account-holders', {
      reference: '20000009',
      title: 'Mrs',
      forenames: 'Ann',
      surname: 'Smith',
      addressLine1: '3 Low Street',
      town: 'Barnsley',
      postcode: 's71 1aa',
      reason: 'New tenant',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Mrs Ann Smith',
      address: '3 Low Street, Barnsley, S71 1AA',
      postcode: 'S71 1AA',
      onStopMessage: null,
    });
    expect((await search('postcode=S711AA')).map((h) => h.reference)).toEqual(['20000009']);
    const stopped = await stack.request('PATCH', '/v1/funds/SUND/account-holders/20000009', {
      addressLine2: 'Flat 2',
      onStop: { messageCode: 'BAILIFF' },
    });
    expect(stopped.status).toBe(200);
    expect(stopped.body).toMatchObject({
      surname: 'Smith',
      address: '3 Low Street, Flat 2, Barnsley, S71 1AA',
      onStopMessage: 'With the enforcement agent: do not take payment',
    });
    const lifted = await stack.request('PATCH', '/v1/funds/SUND/account-holders/20000009', {
      onStop: null,
    });
    expect(lifted.body.onStopMessage).toBeNull();
    const audit = await stack.request(
      'GET',
      '/v1/audit?entityType=account_holder&entityId=SUND:20000009',
    );
    expect(audit.body.items.length).toBe(3);
    // Personal data never goes into the audit log.
    expect(JSON.stringify(audit.body)).not.toContain('Low Street');
    const messages = await stack.request('GET', '/v1/funds/SUND/on-stop-messages');
    expect(messages.body.items).toEqual([
      { code: 'BAILIFF', message: 'With the enforcement agent: do not take payment' },
    ]);
  });
});

describe('accountHolderSearch.scale', () => {
  it('searches 100,000 accounts through the trigram indexes in well under a second', async () => {
    // Arranged as the owner, straight into the table: the CSV load has its own timing test.
    await stack.database.sql`
      insert into account_holders (fund_code, reference, name, address, load_id)
      select 'SUND', (30000000 + i)::text,
             substr(md5(i::text), 1, 8) || ' ' || substr(md5((i + 7)::text), 1, 10),
             i || ' Long Road, Town, T' || (i % 90 + 10) || ' ' || (i % 9) || 'AB', 'bulk'
        from generate_series(1, 100000) as i`;
    await stack.database.sql`analyze account_holders`;
    // A first request warms the pool's connection and the index pages just written.
    await stack.request('GET', '/v1/account-holders?q=warm%20up');
    const timings: number[] = [];
    for (const query of [
      'q=c4ca4238%20c4ca4238',
      'postcode=T45%208AB',
      'q=long%20road&postcode=T11',
    ]) {
      const started = performance.now();
      const response = await stack.request('GET', `/v1/account-holders?${query}`);
      timings.push(performance.now() - started);
      expect(response.status).toBe(200);
      expect(response.body.items.length, query).toBeGreaterThan(0);
    }
    console.info(
      `account-holder search over 100,000 rows: ${timings.map((ms) => `${ms.toFixed(0)} ms`).join(', ')}`,
    );
    expect(Math.max(...timings)).toBeLessThan(1_000);
    for (const where of [`postcode_key % 'T458AB'`, `'c4ca4238 c4ca' <% search_text`]) {
      const plan = await stack.database.sql.unsafe(
        `explain select 1 from account_holders where ${where}`,
      );
      expect(JSON.stringify(plan), where).toMatch(/account_holders_(postcode|search)_trgm/);
    }
  });
});

describe('accountHolderSearch.error', () => {
  it('names the field: no search terms, a bad postcode, a taken reference, no name, an unknown message', async () => {
    expectProblem(await stack.request('GET', '/v1/account-holders'), 400, ['query.q']);
    expectProblem(await stack.request('GET', '/v1/account-holders?postcode=S7%25'), 400, [
      'query.postcode',
    ]);
    const base = { reference: '20000010', surname: 'Jones' };
    expectProblem(
      await stack.request('POST', '/v1/funds/SUND/account-holders', { ...base, postcode: 'XYZ' }),
      400,
      ['body.postcode'],
    );
    expectProblem(
      await stack.request('POST', '/v1/funds/SUND/account-holders', { reference: '20000010' }),
      400,
      ['body.surname'],
    );
    expectProblem(
      await stack.request('POST', '/v1/funds/SUND/account-holders', { ...base, reference: '12' }),
      422,
      ['body.reference'],
    );
    expectProblem(
      await stack.request('POST', '/v1/funds/SUND/account-holders', {
        ...base,
        reference: '20000001',
      }),
      409,
      ['body.reference'],
    );
    expectProblem(
      await stack.request('POST', '/v1/funds/SUND/account-holders', {
        ...base,
        onStop: { messageCode: 'NOPE' },
      }),
      422,
      ['body.onStop.messageCode'],
    );
    expect(
      (await stack.request('PATCH', '/v1/funds/SUND/account-holders/29999999', {})).status,
    ).toBe(404);
  });
});

describe('accountHolderSearch.security', () => {
  it('searches only the funds of the caller’s groups, and refuses edits without configure', async () => {
    const scoped = await stack.keyFor('scoped', ['view'], ['NO_SUCH_GROUP']);
    const found = await stack.request('GET', '/v1/account-holders?q=thornbury', undefined, scoped);
    expect(found.status).toBe(200);
    expect(found.body.items).toEqual([]);
    const viewer = await stack.keyFor('viewer', ['view']);
    const edit = await stack.request(
      'PATCH',
      '/v1/funds/SUND/account-holders/20000001',
      { town: 'Leeds' },
      viewer,
    );
    expect(edit.status).toBe(403);
  });
});
