import { z } from 'zod';

/**
 * The sandbox PSP's environment, parsed once at start-up; a bad value stops it with a message
 * naming the variable (the same habit as platform/config.ts).
 */
const optionalUrl = z.url({ protocol: /^https?$/ }).optional();

export const sandboxConfigSchema = z.object({
  SANDBOX_PSP_PORT: z.coerce.number().int().min(0).max(65_535).default(3100),
  /** 0.0.0.0 inside a container; loopback otherwise. */
  SANDBOX_PSP_HOST: z.string().min(1).default('127.0.0.1'),
  /** Absent means: webhooks are not sent. */
  SANDBOX_PSP_WEBHOOK_URL: optionalUrl,
  SANDBOX_PSP_WEBHOOK_SECRET: z.string().min(1).optional(),
  SANDBOX_PSP_API_KEYS: z
    .string()
    .transform((list) =>
      list
        .split(',')
        .map((key) => key.trim())
        .filter((key) => key !== ''),
    )
    .pipe(z.array(z.string()).min(1, 'needs at least one comma-separated API key')),
  SANDBOX_PSP_EXPIRY_MS: z.coerce
    .number()
    .int()
    .positive()
    .default(90 * 60 * 1000),
  /** The address payers' browsers and the IMS use, when it differs from host:port. */
  SANDBOX_PSP_PUBLIC_URL: optionalUrl,
});

export type SandboxConfig = z.infer<typeof sandboxConfigSchema>;

export class SandboxConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(
      `Invalid sandbox PSP configuration:\n${issues.map((issue) => `  - ${issue}`).join('\n')}`,
    );
    this.name = 'SandboxConfigError';
  }
}

export function parseSandboxConfig(env: NodeJS.ProcessEnv = process.env): SandboxConfig {
  // Empty strings mean "not set", as in platform/config.ts.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const result = sandboxConfigSchema.safeParse(cleaned);
  if (result.success) {
    const config = result.data;
    if (
      config.SANDBOX_PSP_WEBHOOK_URL !== undefined &&
      config.SANDBOX_PSP_WEBHOOK_SECRET === undefined
    ) {
      throw new SandboxConfigError([
        'SANDBOX_PSP_WEBHOOK_SECRET: required when SANDBOX_PSP_WEBHOOK_URL is set',
      ]);
    }
    return config;
  }
  throw new SandboxConfigError(
    result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
  );
}
