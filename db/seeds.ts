import { demoCouncilSeed } from './demoSeed';
import { demoBankCsvProfilesSeed, demoImportProfilesSeed } from './importProfiles';
import { demoNotifyTemplatesSeed } from './notifyTemplates';
import type { Seed } from './seed';

/** Seeds `npm start` applies once per database, in this order. */
export const demoSeeds: Seed[] = [
  demoCouncilSeed,
  demoImportProfilesSeed,
  demoBankCsvProfilesSeed,
  demoNotifyTemplatesSeed,
];
