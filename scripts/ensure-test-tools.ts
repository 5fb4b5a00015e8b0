import { ensureChromium } from '../platform/chromium';
import { findTemporalCli, temporalCliVersionOf } from '../platform/temporalCli';

// Run before tests so one-off installs print their progress outside vitest's reporter.
const log = (message: string) => process.stderr.write(`${message}\n`);
const temporal = findTemporalCli(log);
process.stdout.write(`Temporal CLI: ${temporal} (${temporalCliVersionOf(temporal)})\n`);
process.stdout.write(`Chromium: ${ensureChromium(log)}\n`);
