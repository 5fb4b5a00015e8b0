// Proves the sandbox PSP process reads its SANDBOX_PSP_* environment strictly, with messages that
// name the variable, and starts from it.
import { describe, expect, it } from 'vitest';
import { parseSandboxConfig, SandboxConfigError } from '../../psp/sandbox/config';
import { runSandboxServer } from '../../psp/sandbox/server';

describe('parseSandboxConfig', () => {
  it('applies defaults and splits the key list', () => {
    const config = parseSandboxConfig({ SANDBOX_PSP_API_KEYS: ' key-a, key-b ,,' });
    expect(config).toMatchObject({
      SANDBOX_PSP_PORT: 3100,
      SANDBOX_PSP_API_KEYS: ['key-a', 'key-b'],
      SANDBOX_PSP_EXPIRY_MS: 5_400_000,
    });
    expect(config.SANDBOX_PSP_WEBHOOK_URL).toBeUndefined();
  });

  it.each([
    [{ SANDBOX_PSP_API_KEYS: ' , ' }, 'SANDBOX_PSP_API_KEYS'],
    [{}, 'SANDBOX_PSP_API_KEYS'],
    [{ SANDBOX_PSP_API_KEYS: 'k', SANDBOX_PSP_PORT: 'http' }, 'SANDBOX_PSP_PORT'],
    [{ SANDBOX_PSP_API_KEYS: 'k', SANDBOX_PSP_EXPIRY_MS: '0' }, 'SANDBOX_PSP_EXPIRY_MS'],
    [
      { SANDBOX_PSP_API_KEYS: 'k', SANDBOX_PSP_WEBHOOK_URL: 'not a url' },
      'SANDBOX_PSP_WEBHOOK_URL',
    ],
    [{ SANDBOX_PSP_API_KEYS: 'k', SANDBOX_PSP_PUBLIC_URL: 'ftp://x' }, 'SANDBOX_PSP_PUBLIC_URL'],
    [
      { SANDBOX_PSP_API_KEYS: 'k', SANDBOX_PSP_WEBHOOK_URL: 'http://localhost:3000/hooks' },
      'SANDBOX_PSP_WEBHOOK_SECRET',
    ],
  ])('refuses %o naming %s', (env, named) => {
    expect(() => parseSandboxConfig(env)).toThrow(SandboxConfigError);
    expect(() => parseSandboxConfig(env)).toThrow(new RegExp(`${named}:`));
  });
});

describe('runSandboxServer', () => {
  it('starts a working sandbox from the environment', async () => {
    const server = await runSandboxServer({ SANDBOX_PSP_API_KEYS: 'k1', SANDBOX_PSP_PORT: '0' });
    try {
      const answer = await fetch(`${server.url}/v1/payments`, {
        headers: { authorization: 'Bearer k1' },
      });
      expect(answer.status).toBe(200);
      expect(await answer.json()).toMatchObject({ total: 0, results: [] });
      expect((await fetch(`${server.url}/v1/payments`)).status).toBe(401);
    } finally {
      await server.close();
    }
  });
});
