// Workflow and activity failures carry a message and a stack trace, which can name an account
// reference or a payer. With encodeCommonAttributes they travel as a payload instead, which the
// payload codec encrypts like any other. Plain CommonJS on purpose: the Temporal SDK loads it by
// path, both into the workflow bundle and with require() in every worker process (tsx, vitest,
// and the production build, which copies this file beside dist/worker.js).
const { DefaultFailureConverter } = require('@temporalio/common');

exports.failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
