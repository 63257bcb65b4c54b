import { DEFAULT_DATASET, type DatasetShape } from '../../shared/dataset.ts';
import { intFlag, type FlagTable, type ParsedFlags } from '../../shared/cli/options.ts';

export const DATASET_FLAGS: FlagTable = {
  documents: { kind: 'string', description: 'documents (D)', defaultText: String(DEFAULT_DATASET.documents) },
  references: { kind: 'string', description: 'reference rows (R)', defaultText: String(DEFAULT_DATASET.references) },
  'avg-refs-per-doc': { kind: 'string', description: 'average references per document (A)', defaultText: String(DEFAULT_DATASET.avgRefsPerDoc) },
  partitions: { kind: 'string', description: 'hash partitions per table (P)', defaultText: String(DEFAULT_DATASET.partitions) },
};

export const MAX_PARTITIONS = 256;

export function datasetShapeFrom(flags: ParsedFlags, defaults: DatasetShape = DEFAULT_DATASET): DatasetShape {
  const shape: DatasetShape = {
    documents: intFlag(flags, 'documents', defaults.documents, 2, 50_000_000),
    references: intFlag(flags, 'references', defaults.references, 0, 2_000_000_000),
    avgRefsPerDoc: intFlag(flags, 'avg-refs-per-doc', defaults.avgRefsPerDoc, 1, 1_000_000),
    partitions: intFlag(flags, 'partitions', defaults.partitions, 1, MAX_PARTITIONS),
  };
  return shape;
}

