import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * The browser the end-to-end tests drive: Debian's Chromium. Playwright's own browser builds
 * are downloaded from a CDN at install time, which this project cannot rely on; Debian's
 * package comes from the same archive as everything else on the machine.
 */
export const chromiumCandidates = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const configured = env.CHROMIUM_PATH;
  if (configured !== undefined && configured !== '') return configured;
  return chromiumCandidates.find((path) => existsSync(path));
}

/**
 * Finds Chromium, or installs Debian's package when running as root with apt (CI and fresh
 * developer machines); otherwise fails with the command to run.
 */
export function ensureChromium(log: (message: string) => void): string {
  const found = findChromium();
  if (found !== undefined) return found;
  const isRoot = process.getuid?.() === 0;
  if (!isRoot || !existsSync('/usr/bin/apt-get')) {
    throw new Error(
      'Chromium is needed for the browser tests: run `sudo apt-get install chromium` (or set CHROMIUM_PATH)',
    );
  }
  log('installing Debian’s chromium package for the browser tests (once)…');
  const apt = (args: string[]) =>
    execFileSync('apt-get', args, {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  apt(['update', '-qq']);
  apt(['install', '-y', '-qq', '--no-install-recommends', 'chromium']);
  const installed = findChromium();
  if (installed === undefined) throw new Error('apt-get installed chromium but it is not on disk');
  return installed;
}
