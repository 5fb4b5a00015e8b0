import { councilTaxCheckDigit, parkingCheckDigit } from './demoFunds';
import { type CheckDigitScheme, computeCheckCharacter } from './references';

/**
 * A handful of demo account holders, so that the on-stop rule and the account lookups have
 * something to show on a fresh database. References are built from a payload plus its check
 * character, so they stay valid for the demo funds' schemes. Names and addresses are made up.
 */

export type DemoAccountHolder = {
  reference: string;
  name: string;
  address: string;
  balancePence: number | null;
  onStopMessage: string | null;
};

function withCheck(scheme: CheckDigitScheme, payload: string): string {
  return payload + computeCheckCharacter(scheme, `${payload}?`);
}

export const demoOnStopMessage = 'Account in enforcement: refer to the recovery team';

export const demoAccountHolders: Readonly<Record<string, readonly DemoAccountHolder[]>> = {
  CTAX: [
    {
      // The worked example of domain.md §3, as an ordinary account.
      reference: withCheck(councilTaxCheckDigit, '12345678'),
      name: 'A. Example',
      address: '1 High Street, Demo Town, DT1 1AA',
      balancePence: 145_000,
      onStopMessage: null,
    },
    {
      reference: withCheck(councilTaxCheckDigit, '71234567'),
      name: 'B. Sample',
      address: '2 High Street, Demo Town, DT1 1AB',
      balancePence: 98_050,
      onStopMessage: null,
    },
    {
      reference: withCheck(councilTaxCheckDigit, '51234567'),
      name: 'C. Placeholder',
      address: '3 High Street, Demo Town, DT1 1AC',
      balancePence: 231_400,
      onStopMessage: demoOnStopMessage,
    },
  ],
  PCN: [
    {
      reference: withCheck(parkingCheckDigit, 'BJ1234567'),
      name: 'D. Motorist',
      address: '4 Station Road, Demo Town, DT2 2AA',
      balancePence: 7_000,
      onStopMessage: null,
    },
  ],
};
