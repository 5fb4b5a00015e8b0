import { connectDatabase } from '../../db/client';
import { insertApiKey } from '../../db/identity';
import { providerCouncilId } from '../../domain/council';
import { demoCouncilBundle } from '../../domain/councilBundle';
import { demoCouncil } from '../../domain/demoCouncil';
import { councilPermissions, type Permission } from '../../domain/permissions';
import type { TestStack } from './stack';

/** An API key of some council, made as the owner bound to it (as its administrator would). */
export async function keyInCouncil(
  stack: TestStack,
  councilId: string,
  granted: readonly Permission[] = councilPermissions,
): Promise<Record<string, string>> {
  const owner = connectDatabase(stack.databaseUrl, { poolMax: 1, councilId });
  try {
    const { key } = await insertApiKey(
      owner.db,
      {
        principal: `${councilId}-key`,
        description: 'test',
        permissions: [...granted],
        fundGroups: null,
      },
      'system:test',
    );
    return { Authorization: `Bearer ${key}` };
  } finally {
    await owner.close();
  }
}

/**
 * Onboards a council from the demo bundle through the provider's API, as a shared deployment
 * would, and answers a key of it holding every council permission.
 */
export async function onboardDemoCouncil(
  stack: TestStack,
  councilId: string,
): Promise<Record<string, string>> {
  const provider = await keyInCouncil(stack, providerCouncilId, ['provider']);
  const bundle = demoCouncilBundle({ id: councilId, name: `${councilId} council` }, demoCouncil);
  const onboarded = await stack.request('POST', '/v1/provider/councils', bundle, provider);
  if (onboarded.status !== 201) throw new Error(`onboarding ${councilId}: ${onboarded.text}`);
  return keyInCouncil(stack, councilId);
}
