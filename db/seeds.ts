import { demoCouncilSeed } from './demoSeed';
import type { Seed } from './seed';

/** Seeds `npm start` applies once per database, in this order. */
export const demoSeeds: Seed[] = [demoCouncilSeed];
