// The worker's workflow bundle entry point: every workflow type the IMS runs.

export { paymentWorkflow } from './payment';
export { probeWorkflow } from './probe';
