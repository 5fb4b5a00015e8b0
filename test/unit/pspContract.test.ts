// Proves the contract checker reads GOV.UK Pay's official spec faithfully: it matches paths to
// operations, resolves component references, honours `nullable`, and catches wrong bodies.
import { describe, expect, it } from 'vitest';
import { contract } from './pspHarness';

describe('GOV.UK Pay contract checker', () => {
  it('matches concrete paths to the spec templates', () => {
    expect(contract.pathTemplateFor('GET', '/v1/payments/abc/refunds/def')).toBe(
      '/v1/payments/{paymentId}/refunds/{refundId}',
    );
    expect(contract.pathTemplateFor('POST', '/v1/payments/abc/cancel')).toBe(
      '/v1/payments/{paymentId}/cancel',
    );
    expect(contract.pathTemplateFor('DELETE', '/v1/payments/abc')).toBeUndefined();
  });

  it('accepts a good create request and names what is wrong with a bad one', () => {
    const good = { amount: 100, description: 'd', reference: 'r', return_url: 'https://x' };
    expect(contract.checkRequest('POST', '/v1/payments', good)).toEqual([]);
    const bad = { amount: 1.5, reference: 'r', return_url: 'https://x', language: 'fr' };
    expect(contract.checkRequest('POST', '/v1/payments', bad)).toEqual(
      expect.arrayContaining([
        "(root) must have required property 'description'",
        '/amount must be integer',
        '/language must be equal to one of the allowed values',
      ]),
    );
  });

  it('follows $refs into nested components and checks integer formats', () => {
    const page = {
      total: 1,
      results: [{ amount: 'ten', refund_summary: { amount_available: 1.5 } }],
    };
    expect(contract.checkResponse('GET', '/v1/payments', 200, page)).toEqual(
      expect.arrayContaining([
        '/results/0/amount must be integer',
        '/results/0/refund_summary/amount_available must be integer',
      ]),
    );
  });

  it('honours nullable (PaymentState.can_retry) and nothing more', () => {
    expect(contract.checkSchema('PaymentState', { status: 'failed', can_retry: null })).toEqual([]);
    expect(contract.checkSchema('PaymentState', { finished: null })).toEqual([
      '/finished must be boolean',
    ]);
  });

  it('refuses statuses the operation does not declare, and lets body-less ones through', () => {
    expect(contract.checkResponse('POST', '/v1/payments/a/refunds', 400, {})).toEqual([
      '400 is not declared for POST /v1/payments/{paymentId}/refunds',
    ]);
    expect(
      contract.checkResponse('POST', '/v1/payments/a/refunds', 412, { code: 'P0604' }),
    ).toEqual([]);
    expect(contract.checkResponse('POST', '/v1/payments/a/cancel', 204, undefined)).toEqual([]);
  });

  it('refuses a request body where the operation takes none', () => {
    expect(contract.checkRequest('POST', '/v1/payments/a/cancel', { reason: 'x' })).toEqual([
      'no request body is declared',
    ]);
  });
});
