import { findTemporalCli, temporalCliVersionOf } from '../platform/temporalCli';

// Run before tests so the one-off install prints its progress outside vitest's reporter.
const path = findTemporalCli((message) => process.stderr.write(`${message}\n`));
process.stdout.write(`Temporal CLI: ${path} (${temporalCliVersionOf(path)})\n`);
