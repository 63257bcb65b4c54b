import test from 'ava';
import { datasetIndex } from '../../../../shared/dataset.ts';
import { strategyArguments } from '../../../../shared/workload/strategy-arguments.ts';

const index = datasetIndex({ documents: 20, references: 60, avgRefsPerDoc: 3, partitions: 4 });

test('parallel arrays, one element per reference row, and one per document for the lock', (t) => {
  const args = strategyArguments(index, [
    { documentId: 3, aliasIds: [1, 2] },
    { documentId: 7, aliasIds: [9] },
  ]);
  const k = (id: number) => index.documentPartitionKeys[id];
  const rk = (id: number) => index.referentialPartitionKeys[id];
  t.is(args.parentDocumentIds, '{3,3,7}');
  t.is(args.parentDocumentPartitionKeys, `{${k(3)},${k(3)},${k(7)}}`);
  t.is(args.referentialIds, `{${index.referentialId(1)},${index.referentialId(2)},${index.referentialId(9)}}`);
  t.is(args.referentialPartitionKeys, `{${rk(1)},${rk(2)},${rk(9)}}`);
  t.is(args.documentIds, '{3,7}');
  t.is(args.documentPartitionKeys, `{${k(3)},${k(7)}}`);
});

test('referential ids are the dataset md5 uuids', (t) => {
  const args = strategyArguments(index, [{ documentId: 1, aliasIds: [5] }]);
  t.is(args.referentialIds, `{${index.referentialId(5)}}`);
  t.regex(args.referentialIds, /^\{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}$/);
});
