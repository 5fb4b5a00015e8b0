import { readFileSync } from 'node:fs';
import { join } from 'node:path';

let cached: string | undefined;

/** The version in package.json, read from the working directory (the app root everywhere we run). */
export function packageVersion(): string {
  if (cached === undefined) {
    try {
      cached = (
        JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8')) as { version: string }
      ).version;
    } catch {
      cached = 'unknown';
    }
  }
  return cached;
}
