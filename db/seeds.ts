import type { Seed } from './seed';

/** Seeds `npm start` applies once per database. The demo council arrives with the money core. */
export const demoSeeds: Seed[] = [];
