import { Type } from '@sinclair/typebox';
import { DatasetShapeSchema } from '../../shared/dataset.ts';
import { ConfigurationError } from '../../shared/errors.ts';
import { compileContract, quote, type Contract } from '../../shared/protocol/contract-schema.ts';
import { RunConfigSchema, workloadProblem } from '../../shared/run-config.ts';
import { SCHEMA_LAYOUTS } from '../../shared/schema-layout.ts';

/**
 * The run meta the coordinator keeps in Redis before it enqueues a run (coordinator/run/run.ts):
 * what `report --run-id` needs to rebuild the run's results if the coordinator dies.
 */
export const RunMetaSchema = Type.Object({
  runId: Type.String({ minLength: 1 }),
  config: RunConfigSchema,
  dataset: DatasetShapeSchema,
  /** The dataset was loaded with --distinct-pairs (absent in metas written before it existed: false). */
  distinctPairs: Type.Optional(Type.Boolean()),
  /** The layout setup built (absent in metas written before it existed: referential-id). */
  schema: Type.Optional(Type.Union(SCHEMA_LAYOUTS.map((s) => Type.Literal(s)))),
  intervalMs: Type.Integer({ minimum: 1 }),
  /** When the coordinator wrote it (ISO 8601), for whoever looks in Redis; rebuilding does not need it. */
  createdAt: Type.Optional(Type.String()),
  /** Worker id of each session, by session id: one entry per config.sessions. */
  assignment: Type.Array(Type.String()),
  workers: Type.Array(Type.Object({ id: Type.String(), host: Type.String() })),
});
export type RunMeta = Contract<typeof RunMetaSchema>;

const runMeta = compileContract(RunMetaSchema);

export function parseRunMeta(text: string, runId: string): RunMeta {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new ConfigurationError(`the run meta of ${runId} in Redis is not JSON: it was written by something else`);
  }
  const problem = (what: string): ConfigurationError =>
    new ConfigurationError(`the run meta of ${runId} in Redis is not one this refswarm reads (${what}): rebuild it with the refswarm version that ran it`);
  const schemaProblem = runMeta.problem(data);
  if (schemaProblem !== undefined) throw problem(schemaProblem);
  const meta = runMeta.clean(data);
  if (meta.runId !== runId) throw problem(`runId: expected ${quote(runId)}, got ${quote(meta.runId)}`);
  const workload = workloadProblem(meta.config.workload);
  if (workload !== undefined) throw problem(`config.workload.${workload.field}: expected ${workload.expected}, got ${quote(workload.value)}`);
  if (meta.assignment.length !== meta.config.sessions) {
    throw problem(`assignment: expected one worker per session (${meta.config.sessions}), got ${meta.assignment.length}`);
  }
  return meta;
}
