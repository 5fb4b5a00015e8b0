import { type ManagedProcess, spawnManaged } from '../platform/childProcess';

/**
 * What `npm start` and `npm run start:cluster` run their processes under: everything started
 * is stopped in reverse order (API and workers first, then Temporal, then PostgreSQL), and a
 * process that dies on its own stops the rest, unless it was told to (a fault run's SIGKILL).
 */
export type Supervisor = {
  /** Something to stop at the end, after everything added later. */
  add: (name: string, stop: () => Promise<void>) => void;
  /** Stops the rest when this process exits unasked. */
  watch: (child: ManagedProcess) => void;
  /** This process may exit from now on without stopping the rest. */
  expectExit: (child: ManagedProcess) => void;
  /** A `node --import tsx` (or plain `node` for a built file) child in its own process group. */
  startChild: (
    name: string,
    entry: string,
    env: NodeJS.ProcessEnv,
    logFile?: string,
  ) => ManagedProcess;
  stopAll: (exitCode: number) => Promise<never>;
  /** Stops everything but does not exit (a script that goes on to report). */
  stopEverything: () => Promise<void>;
};

export const say = (message: string) => process.stdout.write(`[ims] ${message}\n`);

export function createSupervisor(log: (message: string) => void = say): Supervisor {
  const stoppable: Array<{ name: string; stop: () => Promise<void> }> = [];
  const expected = new Set<ManagedProcess>();
  let stopping: Promise<void> | undefined;

  const stopEverything = () => {
    stopping ??= (async () => {
      log('stopping…');
      for (const entry of [...stoppable].reverse()) await entry.stop();
      log('stopped');
    })();
    return stopping;
  };
  const stopAll = async (exitCode: number): Promise<never> => {
    await stopEverything();
    process.exit(exitCode);
  };
  const watch = (child: ManagedProcess) => {
    void child.exited.then((code) => {
      if (stopping !== undefined || expected.has(child)) return;
      log(`${child.name} exited unexpectedly (code ${code}); stopping everything`);
      void stopAll(1);
    });
  };
  const startChild = (name: string, entry: string, env: NodeJS.ProcessEnv, logFile?: string) => {
    // Built files run on plain node, as in the container; sources through tsx.
    const args = entry.endsWith('.js') ? [entry] : ['--import', 'tsx', entry];
    const child = spawnManaged({
      name,
      command: process.execPath,
      args,
      env,
      ownProcessGroup: true,
      ...(logFile === undefined ? {} : { logFile }),
    });
    stoppable.push({ name, stop: () => child.stop(35_000) });
    watch(child);
    return child;
  };
  return {
    add: (name, stop) => stoppable.push({ name, stop }),
    watch,
    expectExit: (child) => expected.add(child),
    startChild,
    stopAll,
    stopEverything,
  };
}
