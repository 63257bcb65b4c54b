import { createHash, type Hash } from 'node:crypto';
import { UsageError } from '../errors.ts';
import { sessionStream } from '../random.ts';
import type { ScenarioName } from '../run-config.ts';
import type { OperationStream, OperationStreamParams } from './contracts.ts';
import type { Operation } from './operation.ts';
import { batchScenario } from './scenarios/scenario-batch.ts';
import { crossPartitionScenario } from './scenarios/scenario-cross-partition.ts';
import { disjointScenario } from './scenarios/scenario-disjoint.ts';
import type { ScenarioGeneratorFactory } from './scenarios/scenario-generator.ts';
import { hotScenario } from './scenarios/scenario-hot.ts';
import { mixedScenario } from './scenarios/scenario-mixed.ts';
import { noopScenario } from './scenarios/scenario-noop.ts';
import { scenarioProblems } from './scenario-problems.ts';
import { singleScenario } from './scenarios/scenario-single.ts';

const SCENARIO_GENERATORS: Readonly<Record<ScenarioName, ScenarioGeneratorFactory>> = {
  single: singleScenario,
  disjoint: disjointScenario,
  hot: hotScenario,
  batch: batchScenario,
  'cross-partition': crossPartitionScenario,
  mixed: mixedScenario,
  noop: noopScenario,
};

/**
 * A session's operations: a pure function of (seed, session, scenario options, dataset shape), drawn
 * from the session's own 'operations' stream. digest() is a running sha256 over a canonical binary
 * encoding of every operation handed out, so equal configurations give equal digests on any worker.
 */
export function createOperationStream(params: OperationStreamParams): OperationStream {
  const problems = scenarioProblems(params.scenario, params.dataset, params.sessionCount);
  if (problems.length > 0) throw new UsageError(problems.join('; '));
  const generate = SCENARIO_GENERATORS[params.scenario.scenario]({
    options: params.scenario,
    dataset: params.dataset,
    sessionId: params.sessionId,
    sessionCount: params.sessionCount,
  });
  const rng = sessionStream(params.seed, params.sessionId, 'operations');
  const hash = createHash('sha256');
  return {
    next() {
      const operation = generate(rng);
      hashOperation(hash, operation);
      return operation;
    },
    digest: () => hash.copy().digest('hex'),
  };
}

const KIND_CODES = { noop: 0, rewrite: 1, 'read-referencing': 2, 'read-references': 3 } as const;

/** Kind code, then the operation's numbers as 32-bit words (rewrite: count, then per document id, count, alias ids). */
function hashOperation(hash: Hash, operation: Operation): void {
  switch (operation.kind) {
    case 'noop':
      hash.update(Uint32Array.of(KIND_CODES.noop, operation.sleepMs * 1000));
      return;
    case 'read-referencing':
    case 'read-references':
      hash.update(Uint32Array.of(KIND_CODES[operation.kind], operation.documentId));
      return;
    case 'rewrite': {
      let length = 2;
      for (const d of operation.documents) length += 2 + d.aliasIds.length;
      const words = new Uint32Array(length);
      words[0] = KIND_CODES.rewrite;
      words[1] = operation.documents.length;
      let w = 2;
      for (const d of operation.documents) {
        words[w++] = d.documentId;
        words[w++] = d.aliasIds.length;
        words.set(d.aliasIds, w);
        w += d.aliasIds.length;
      }
      hash.update(words);
    }
  }
}
