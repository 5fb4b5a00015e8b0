import { defineConfig } from 'drizzle-kit';

// Migrations are generated from db/schema and committed; released ones are never edited.
export default defineConfig({
  dialect: 'postgresql',
  schema: './db/schema/index.ts',
  out: './db/migrations',
  casing: 'snake_case',
});
