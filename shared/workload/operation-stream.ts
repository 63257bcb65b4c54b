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
import { idleScenario } from './scenarios/scenario-idle.ts';
import { scenarioProblems } from './scenario-problems.ts';
import { singleScenario } from './scenarios/scenario-single.ts';
import { fixtureScenario } from './scenarios/scenario-fixture.ts';
import { rewriteDraw } from './rewrite-draw.ts';
import { withUnknownReference } from './unknown-reference.ts';
import { WordDigest } from './word-digest.ts';

const SCENARIO_GENERATORS: Readonly<Record<ScenarioName, ScenarioGeneratorFactory>> = {
  single: singleScenario,
  disjoint: disjointScenario,
  hot: hotScenario,
  batch: batchScenario,
  'cross-partition': crossPartitionScenario,
  mixed: mixedScenario,
  noop: noopScenario,
  fixture: fixtureScenario,
  idle: idleScenario,
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
    draw: rewriteDraw(params.scenario, params.dataset),
  });
  const unknownRatio = params.scenario.unknownRatio ?? 0;
  const rng = sessionStream(params.seed, params.sessionId, 'operations');
  const hash = new WordDigest();
  return {
    next() {
      let operation = generate(rng);
      // Drawn after the operation, and only when asked for: without --unknown-ratio the stream is what it was.
      if (unknownRatio > 0 && operation.kind === 'rewrite' && rng.next() < unknownRatio) operation = withUnknownReference(operation);
      hashOperation(hash, operation);
      return operation;
    },
    digest: () => hash.digest(),
  };
}

const KIND_CODES = { noop: 0, rewrite: 1, 'read-referencing': 2, 'read-references': 3, idle: 5 } as const;
/** A rewrite carrying an unknown referential id: its documents' counts have UNKNOWN_FLAG on the carrier. */
const REWRITE_WITH_UNKNOWN = 4;
const UNKNOWN_FLAG = 0x8000_0000;

/**
 * Kind code, then the operation's numbers as 32-bit words (rewrite: count, then per document id,
 * count, alias ids). Operations drawn before the realism options existed hash as they did.
 */
function hashOperation(hash: WordDigest, operation: Operation): void {
  switch (operation.kind) {
    case 'noop':
      hash.add2(KIND_CODES.noop, operation.sleepMs * 1000);
      return;
    case 'idle':
      hash.add1(KIND_CODES.idle);
      return;
    case 'read-referencing':
    case 'read-references':
      hash.add2(KIND_CODES[operation.kind], operation.documentId);
      return;
    case 'rewrite': {
      let length = 2;
      for (const d of operation.documents) length += 2 + d.aliasIds.length;
      const words = new Uint32Array(length);
      words[0] = operation.documents.some((d) => d.unknownReference) ? REWRITE_WITH_UNKNOWN : KIND_CODES.rewrite;
      words[1] = operation.documents.length;
      let w = 2;
      for (const d of operation.documents) {
        words[w++] = d.documentId;
        words[w++] = d.unknownReference ? (d.aliasIds.length | UNKNOWN_FLAG) >>> 0 : d.aliasIds.length;
        words.set(d.aliasIds, w);
        w += d.aliasIds.length;
      }
      hash.addWords(words);
    }
  }
}
