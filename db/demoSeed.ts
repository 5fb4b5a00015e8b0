import { demoAccountHolders } from '../domain/demoAccountHolders';
import { demoCouncil } from '../domain/demoCouncil';
import { replaceAccountHolders } from './accountHolders';
import type { Sql } from './client';
import {
  fundGroupStore,
  fundStore,
  methodOfPaymentStore,
  officeStore,
  vatCodeStore,
} from './configEntities';
import type { ConfigStore } from './configStore';
import { type AuditMeta, createAudited } from './configWrites';
import { type Executor, executorOver } from './executor';
import { replaceReferenceRoutes } from './referenceRoutes';
import type { Seed } from './seed';

/**
 * The demo council (domain/demoCouncil.ts) written through the same stores, and with the same
 * audit rows, as the configuration API, so a seeded database looks like one an administrator
 * set up by hand. VAT codes come before funds, and funds before groups and routes, because
 * each refers to the one before.
 */

const seedMeta: AuditMeta = { actor: 'system:seed', reason: 'Demo council configuration' };

async function createAll<Input, View>(
  tx: Executor,
  store: ConfigStore<Input, View>,
  inputs: readonly Input[],
) {
  for (const input of inputs) await createAudited(tx, store, input, seedMeta);
}

async function seedDemoCouncil(sql: Sql): Promise<void> {
  const tx = executorOver(sql);
  await createAll(tx, vatCodeStore, demoCouncil.vatCodes);
  await createAll(tx, fundStore, demoCouncil.funds);
  await createAll(tx, fundGroupStore, demoCouncil.fundGroups);
  await createAll(tx, methodOfPaymentStore, demoCouncil.methodsOfPayment);
  await createAll(tx, officeStore, demoCouncil.offices);
  await replaceReferenceRoutes(tx, demoCouncil.referenceRoutes, seedMeta);
  for (const [fundCode, holders] of Object.entries(demoAccountHolders)) {
    await replaceAccountHolders(tx, fundCode, holders, seedMeta);
  }
}

export const demoCouncilSeed: Seed = { name: 'demo-council-v1', run: seedDemoCouncil };
