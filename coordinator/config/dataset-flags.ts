import { DEFAULT_DATASET, type DatasetShape } from '../../shared/dataset.ts';
import { rangedFlag, type FlagTable, type ParsedFlags } from '../../shared/cli/options.ts';
import { OPTION_RANGES } from '../../shared/option-ranges.ts';

export const DATASET_FLAGS: FlagTable = {
  documents: { kind: 'string', description: 'documents (D)', defaultText: String(DEFAULT_DATASET.documents), range: OPTION_RANGES.documents },
  references: { kind: 'string', description: 'reference rows (R)', defaultText: String(DEFAULT_DATASET.references), range: OPTION_RANGES.references },
  'avg-refs-per-doc': { kind: 'string', description: 'average references per document (A)', defaultText: String(DEFAULT_DATASET.avgRefsPerDoc), range: OPTION_RANGES['avg-refs-per-doc'] },
  partitions: { kind: 'string', description: 'hash partitions per table (P)', defaultText: String(DEFAULT_DATASET.partitions), range: OPTION_RANGES.partitions },
};

export function datasetShapeFrom(flags: ParsedFlags, defaults: DatasetShape = DEFAULT_DATASET): DatasetShape {
  const shape: DatasetShape = {
    documents: rangedFlag(flags, 'documents', defaults.documents, OPTION_RANGES.documents),
    references: rangedFlag(flags, 'references', defaults.references, OPTION_RANGES.references),
    avgRefsPerDoc: rangedFlag(flags, 'avg-refs-per-doc', defaults.avgRefsPerDoc, OPTION_RANGES['avg-refs-per-doc']),
    partitions: rangedFlag(flags, 'partitions', defaults.partitions, OPTION_RANGES.partitions),
  };
  return shape;
}

