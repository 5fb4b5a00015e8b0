import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * A child process whose output goes to a log file (or ours), and which is stopped politely
 * first: SIGTERM, then SIGKILL once `graceMs` has passed.
 */
export type ManagedProcess = {
  name: string;
  child: ChildProcess;
  exited: Promise<number | null>;
  stop: (graceMs?: number) => Promise<void>;
};

export type SpawnOptions = {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** A file to append output to; absent means inherit our stdout and stderr. */
  logFile?: string;
};

export function spawnManaged(options: SpawnOptions): ManagedProcess {
  let stdio: 'inherit' | ['ignore', 'pipe', 'pipe'] = 'inherit';
  if (options.logFile !== undefined) {
    mkdirSync(dirname(options.logFile), { recursive: true });
    stdio = ['ignore', 'pipe', 'pipe'];
  }
  const child = spawn(options.command, options.args, {
    env: options.env ?? process.env,
    cwd: options.cwd,
    stdio,
  });
  if (options.logFile !== undefined) {
    const log = createWriteStream(options.logFile, { flags: 'a' });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
  }
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => resolve(code));
    child.on('error', () => resolve(null));
  });
  const stop = async (graceMs = 10_000): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };
  return { name: options.name, child, exited, stop };
}
