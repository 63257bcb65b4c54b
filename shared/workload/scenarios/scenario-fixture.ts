import { datasetIndex, type DatasetShape } from '../../dataset.ts';
import type { RandomStream } from '../../random.ts';
import type { FixtureName } from '../../run-config.ts';
import type { DocumentRewrite, Operation } from '../operation.ts';
import { freshTargets, replaceTargets } from '../rewrite-draw.ts';
import { targetPicker } from '../target-picker.ts';
import type { ScenarioGeneratorFactory } from './scenario-generator.ts';

/** Documents and references per document of each fixture, as sql/fixtures/build-perf-reference-targets.sql builds them. */
export const FIXTURE_DEFINITIONS: Readonly<Record<FixtureName, { readonly documentIds: readonly number[]; readonly perDocument: number }>> = {
  single_doc_standard: { documentIds: [2], perDocument: 50 },
  single_doc_heavy: { documentIds: [1], perDocument: 200 },
  batch_100_mixed: { documentIds: Array.from({ length: 100 }, (_, i) => i + 1), perDocument: 20 },
};

/**
 * A fixture's rewrite, from the dataset shape alone by the rule of
 * sql/fixtures/insert-reference-target-for-docs.sql (each document's first N references ordered by
 * ReferentialPartitionKey, then Reference Id; documents beyond the dataset left out), taken from
 * the document's distinct references: what dms.perf_reference_targets holds after a
 * `load --distinct-pairs`, and what DMS sends after deduplicating referential ids.
 */
export function fixtureRewrite(name: FixtureName, dataset: DatasetShape): DocumentRewrite[] {
  const index = datasetIndex(dataset);
  const { documentIds, perDocument } = FIXTURE_DEFINITIONS[name];
  return documentIds
    .filter((id) => id <= dataset.documents)
    .map((documentId) => {
      const references = index.datasetReferences(documentId, { distinctPairs: true });
      const rowOf = new Map(index.datasetReferences(documentId).map((alias, k) => [alias, k] as const).reverse());
      const ordered = [...references].sort(
        (a, b) => index.referentialPartitionKeys[a] - index.referentialPartitionKeys[b] || rowOf.get(a)! - rowOf.get(b)!,
      );
      return { documentId, aliasIds: ordered.slice(0, perDocument) };
    });
}

/**
 * fixture: every operation rewrites the fixture's documents with the fixture's sets, the seed
 * harness's repeatable payload. With fixtureAlternate, every other operation writes a second set per
 * document instead — the fixture's set with --change K of its references replaced (default all: a
 * fresh set of the same size outside it, --target-skew applying) — drawn once per session, so that
 * each operation changes what the previous one wrote (where the differential strategies differ).
 */
export const fixtureScenario: ScenarioGeneratorFactory = ({ options, dataset }) => {
  if (options.fixture === undefined) throw new RangeError('the fixture scenario needs a fixture name');
  const fixture: Operation = { kind: 'rewrite', documents: fixtureRewrite(options.fixture, dataset) };
  if (!options.fixtureAlternate) return () => fixture;
  let second: Operation | undefined;
  let n = 0;
  return (rng) => {
    if (n++ % 2 === 0) return fixture;
    second ??= { kind: 'rewrite', documents: secondSets(rng, fixture, options.change, options.zipfExponent, dataset.documents) };
    return second;
  };
};

function secondSets(
  rng: RandomStream,
  fixture: Extract<Operation, { kind: 'rewrite' }>,
  change: number | undefined,
  zipfExponent: number | undefined,
  documents: number,
): DocumentRewrite[] {
  const picker = targetPicker(documents, zipfExponent);
  return fixture.documents.map(({ documentId, aliasIds }) => {
    if (change !== undefined) return { documentId, aliasIds: replaceTargets(rng, picker, documentId, [...aliasIds], change, documents) };
    const excluded = new Set([documentId, ...aliasIds]);
    const count = Math.min(aliasIds.length, documents - excluded.size);
    return { documentId, aliasIds: freshTargets(rng, picker, count, excluded) };
  });
}
