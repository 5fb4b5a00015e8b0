// The worker's workflow bundle entry point: every workflow type the IMS runs.
export { probeWorkflow } from './probe';
