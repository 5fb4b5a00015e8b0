// The worker's workflow bundle entry point: every workflow type the IMS runs.

export { bankMatchingWorkflow } from './bankMatching';
export { cashReturnWorkflow } from './cashReturn';
export { closeOfDayWorkflow } from './closeOfDay';
export { importWorkflow } from './import';
export { outboxDeliveryWorkflow, outboxSweepWorkflow } from './outbox';
export { paymentWorkflow } from './payment';
export { probeWorkflow } from './probe';
export { refundWorkflow } from './refund';
export { settlementWorkflow } from './settlement';
export { suspenseWorkflow } from './suspense';
