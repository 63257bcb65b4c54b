import { datasetIndex, type DatasetShape } from '../../dataset.ts';
import type { ScenarioGeneratorFactory } from './scenario-generator.ts';
import { sampleDistinct, shuffleInPlace } from '../sampling.ts';

/**
 * cross-partition: each operation rewrites batchSize documents from batchSize distinct partitions in
 * one strategy call, refsMin..refsMax references each; random order unless sorted (ascending Id).
 */
export const crossPartitionScenario: ScenarioGeneratorFactory = ({ options, dataset, draw }) => {
  const { batchSize, sorted, refsMin, refsMax } = options;
  const byPartition = documentsByPartition(dataset);
  const populated = byPartition.flatMap((ids, key) => (ids.length > 0 ? [key] : []));
  if (batchSize > populated.length) {
    throw new RangeError(`batch size ${batchSize} exceeds the ${populated.length} partitions that hold documents`);
  }
  return (rng) => {
    const partitions = sampleDistinct(rng, batchSize, populated.length).map((p) => populated[p - 1]);
    const ids = partitions.map((key) => byPartition[key][rng.int(0, byPartition[key].length - 1)]);
    if (sorted) ids.sort((a, b) => a - b);
    else shuffleInPlace(rng, ids);
    return { kind: 'rewrite', documents: ids.map((id) => draw(rng, id, refsMin, refsMax)) };
  };
};

const cache = new WeakMap<object, number[][]>();

/** Document ids per document partition key, ascending. */
export function documentsByPartition(shape: DatasetShape): readonly (readonly number[])[] {
  const index = datasetIndex(shape);
  let lists = cache.get(index);
  if (!lists) {
    lists = Array.from({ length: shape.partitions }, () => [] as number[]);
    for (let id = 1; id <= shape.documents; id++) lists[index.documentPartitionKeys[id]].push(id);
    cache.set(index, lists);
  }
  return lists;
}
