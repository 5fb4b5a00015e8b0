// Proves configuration is parsed strictly at start-up, with messages that name the variable.
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../platform/config';

describe('parseConfig', () => {
  it('applies defaults for a bare environment', () => {
    const config = parseConfig({});
    expect(config).toMatchObject({
      PORT: 3000,
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: 'ims',
      NODE_ENV: 'development',
    });
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it('treats empty strings as unset', () => {
    expect(parseConfig({ DATABASE_URL: '', PORT: '' }).PORT).toBe(3000);
  });

  it.each([
    ['PORT', 'eighty', 'PORT'],
    ['PORT', '70000', 'PORT'],
    ['DATABASE_URL', 'mysql://x/y', 'DATABASE_URL'],
    ['TEMPORAL_ADDRESS', 'no-port', 'TEMPORAL_ADDRESS'],
    ['LOG_LEVEL', 'loud', 'LOG_LEVEL'],
    ['WORKER_MAX_CONCURRENT_ACTIVITIES', '0', 'WORKER_MAX_CONCURRENT_ACTIVITIES'],
  ])('refuses %s=%s naming the variable', (name, value, named) => {
    expect(() => parseConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => parseConfig({ [name]: value })).toThrow(new RegExp(`${named}:`));
  });

  it('lists every bad variable at once', () => {
    try {
      parseConfig({ PORT: 'x', LOG_LEVEL: 'y' });
      expect.unreachable();
    } catch (error) {
      expect((error as ConfigError).issues).toHaveLength(2);
    }
  });
});
