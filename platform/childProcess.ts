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
  /**
   * Own process group: a terminal's Ctrl-C then reaches only the parent, which stops the
   * children in its chosen order instead of all of them at once.
   */
  ownProcessGroup?: boolean;
};

const running = new Set<ChildProcess>();
// Last resort if the parent exits without stopping a child: never leave orphans behind.
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

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
    detached: options.ownProcessGroup ?? false,
  });
  running.add(child);
  if (options.logFile !== undefined) {
    const log = createWriteStream(options.logFile, { flags: 'a' });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
  }
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => {
      running.delete(child);
      resolve(code);
    });
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
