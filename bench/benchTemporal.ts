import { join } from 'node:path';
import { freePort } from '../platform/ports';
import { findTemporalCli } from '../platform/temporalCli';
import {
  ensureTemporalServerBinaries,
  freeClusterPort,
  startTemporalCluster,
} from '../platform/temporalCluster';
import { startTemporalDevServer } from '../platform/temporalServer';

/**
 * The benchmarks' Temporal: the in-memory dev server, or with BENCH_TEMPORAL=cluster the real
 * server 1.30.4 on the benchmark's own PostgreSQL (platform/temporalCluster.ts), so the same
 * benchmark compares the two (issue 16). BENCH_WORKERS sets the worker processes (bench/stack.ts).
 */
export type BenchTemporal = {
  kind: 'dev-server' | 'cluster';
  address: string;
  stop: () => Promise<void>;
};

export async function startBenchTemporal(
  scratch: string,
  adminUrl: string,
): Promise<BenchTemporal> {
  if (process.env.BENCH_TEMPORAL === 'cluster') {
    const cluster = await startTemporalCluster({
      binaries: ensureTemporalServerBinaries(),
      adminUrl,
      dataDir: join(scratch, 'temporal'),
      frontendPort: await freeClusterPort(),
      namespace: 'default',
    });
    return { kind: 'cluster', address: cluster.address, stop: cluster.stop };
  }
  const dev = await startTemporalDevServer({
    cliPath: findTemporalCli(),
    port: await freePort(),
    namespace: 'default',
    logFile: join(scratch, 'temporal.log'),
  });
  return { kind: 'dev-server', address: dev.address, stop: dev.stop };
}

export const benchWorkerCount = () => Number(process.env.BENCH_WORKERS ?? 1);
