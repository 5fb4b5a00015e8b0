import type { z } from 'zod';
import type { BundleProblem, CouncilBundle } from '../domain/councilBundle';
import { bundleFromCsvFiles, type CsvFiles } from '../domain/councilBundleCsv';
import { fieldPath } from './problem';
import { asCouncilBundle, councilBundleSchema } from './schemas/councilBundle';

/**
 * A council's CSV set checked as a JSON bundle is (docs/tenancy.md): the files first, then the
 * bundle's schema. Both the API and `npm run council -- onboard <dir>` read CSV sets here, so
 * they refuse the same sets with the same words, each problem naming its file, line and column.
 */

export type CsvBundleOutcome =
  | {
      ok: true;
      bundle: CouncilBundle;
      /** Names onboarding's own problems (`funds[0].vatCode`) by file, line and column. */
      placeOf: (field: string) => string;
    }
  | { ok: false; problems: BundleProblem[] };

/** An unknown key is reported on the object holding it; it is the key that is wrong. */
function issueFields(issue: z.core.$ZodIssue): string[] {
  if (issue.code === 'unrecognized_keys')
    return issue.keys.map((key) => fieldPath('', [...issue.path, key]));
  return [fieldPath('', issue.path)];
}

export function councilBundleFromCsv(files: CsvFiles): CsvBundleOutcome {
  const read = bundleFromCsvFiles(files);
  if (read.problems.length > 0) return { ok: false, problems: read.problems };
  const parsed = councilBundleSchema.safeParse(read.bundle);
  if (!parsed.success)
    return {
      ok: false,
      problems: parsed.error.issues.flatMap((issue) =>
        issueFields(issue).map((field) => ({
          field: read.placeOf(field),
          message: issue.code === 'unrecognized_keys' ? 'not accepted here' : issue.message,
        })),
      ),
    };
  return { ok: true, bundle: asCouncilBundle(parsed.data), placeOf: read.placeOf };
}
