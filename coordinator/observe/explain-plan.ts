import type { ExplainPlan } from '../results/run-report-sections.ts';

/**
 * PostgreSQL's JSON plans (EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON), and auto_explain's JSON notices)
 * → the typed summary run.json keeps and report.html shows: top-node time and buffers, and an
 * indented text plan in the spirit of EXPLAIN's text format. Pure.
 */

type Node = Readonly<Record<string, unknown>>;

const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null && !Array.isArray(value);
const numberAt = (node: Node, key: string): number => (typeof node[key] === 'number' ? (node[key] as number) : 0);
const textAt = (node: Node, key: string): string | undefined => (typeof node[key] === 'string' ? (node[key] as string) : undefined);

/**
 * One statement's plan. `json` is EXPLAIN's output (an array of one object with "Plan", "Planning
 * Time", "Execution Time") or auto_explain's object ("Query Text", "Plan"), whose duration comes
 * from the notice (durationMs).
 */
export function summarizePlan(statement: string, json: unknown, durationMs?: number): ExplainPlan {
  const top = Array.isArray(json) ? json[0] : json;
  if (!isNode(top) || !isNode(top.Plan)) throw new Error(`not an EXPLAIN JSON plan: ${JSON.stringify(json).slice(0, 120)}`);
  const plan = top.Plan;
  const execution = typeof top['Execution Time'] === 'number' ? (top['Execution Time'] as number) : undefined;
  const planning = typeof top['Planning Time'] === 'number' ? (top['Planning Time'] as number) : undefined;
  return {
    statement,
    totalTimeMs: execution ?? durationMs ?? numberAt(plan, 'Actual Total Time') * Math.max(1, numberAt(plan, 'Actual Loops')),
    ...(planning !== undefined && { planningTimeMs: planning }),
    buffers: {
      sharedHit: numberAt(plan, 'Shared Hit Blocks'),
      sharedRead: numberAt(plan, 'Shared Read Blocks'),
      sharedDirtied: numberAt(plan, 'Shared Dirtied Blocks'),
      sharedWritten: numberAt(plan, 'Shared Written Blocks'),
    },
    text: planText(plan),
    json,
  };
}

/**
 * Nested plans of the same statement text (a foreign key check runs once per inserted row) folded
 * into one: the first plan's text and JSON, calls counted, time and buffers summed; order of first run.
 */
export function groupPlans(plans: readonly ExplainPlan[]): ExplainPlan[] {
  const byStatement = new Map<string, ExplainPlan>();
  for (const plan of plans) {
    const seen = byStatement.get(plan.statement);
    if (!seen) {
      byStatement.set(plan.statement, { ...plan, calls: plan.calls ?? 1 });
      continue;
    }
    byStatement.set(plan.statement, {
      ...seen,
      calls: (seen.calls ?? 1) + (plan.calls ?? 1),
      totalTimeMs: seen.totalTimeMs + plan.totalTimeMs,
      buffers: {
        sharedHit: seen.buffers.sharedHit + plan.buffers.sharedHit,
        sharedRead: seen.buffers.sharedRead + plan.buffers.sharedRead,
        sharedDirtied: seen.buffers.sharedDirtied + plan.buffers.sharedDirtied,
        sharedWritten: seen.buffers.sharedWritten + plan.buffers.sharedWritten,
      },
    });
  }
  return [...byStatement.values()];
}

/** The plan tree as text, one node per line, children indented under "->". */
export function planText(plan: Node): string {
  const lines: string[] = [];
  const walk = (node: Node, depth: number): void => {
    const indent = depth === 0 ? '' : `${'      '.repeat(depth - 1)}  ->  `;
    const detailIndent = ' '.repeat(depth === 0 ? 2 : 6 * depth + 2);
    lines.push(`${indent}${nodeLabel(node)}  (actual time=${fixed(numberAt(node, 'Actual Startup Time'))}..${fixed(numberAt(node, 'Actual Total Time'))} rows=${numberAt(node, 'Actual Rows')} loops=${numberAt(node, 'Actual Loops')})`);
    for (const key of ['Index Cond', 'Hash Cond', 'Join Filter', 'Filter', 'Recheck Cond'] as const) {
      const condition = textAt(node, key);
      if (condition) lines.push(`${detailIndent}${key}: ${condition}`);
    }
    const buffers = bufferText(node);
    if (buffers) lines.push(`${detailIndent}Buffers: ${buffers}`);
    const children = Array.isArray(node.Plans) ? node.Plans.filter(isNode) : [];
    for (const child of children) walk(child, depth + 1);
  };
  walk(plan, 0);
  return lines.join('\n');
}

function nodeLabel(node: Node): string {
  const type = textAt(node, 'Node Type') ?? '?';
  const operation = textAt(node, 'Operation');
  let label = type === 'ModifyTable' && operation ? operation : type;
  const index = textAt(node, 'Index Name');
  if (index) label += ` using ${index}`;
  const relation = textAt(node, 'Relation Name') ?? textAt(node, 'Function Name');
  if (relation) {
    const schema = textAt(node, 'Schema');
    label += ` on ${schema ? `${schema}.` : ''}${relation}`;
    const alias = textAt(node, 'Alias');
    if (alias && alias !== relation) label += ` ${alias}`;
  }
  return label;
}

function bufferText(node: Node): string {
  const parts: string[] = [];
  for (const [key, word] of [['Shared Hit Blocks', 'hit'], ['Shared Read Blocks', 'read'], ['Shared Dirtied Blocks', 'dirtied'], ['Shared Written Blocks', 'written']] as const) {
    const n = numberAt(node, key);
    if (n > 0) parts.push(`${word}=${n}`);
  }
  return parts.length === 0 ? '' : `shared ${parts.join(' ')}`;
}

function fixed(ms: number): string {
  return ms.toFixed(3);
}

/** An auto_explain notice ("duration: 0.269 ms  plan:\n{…}") → its duration and JSON plan; undefined for other notices. */
export function parseAutoExplainNotice(message: string): { durationMs: number; json: Node } | undefined {
  const match = /^duration: ([\d.]+) ms\s+plan:\s*\n([\s\S]*)$/.exec(message);
  if (!match) return undefined;
  try {
    const json: unknown = JSON.parse(match[2]);
    return isNode(json) ? { durationMs: Number(match[1]), json } : undefined;
  } catch {
    return undefined;
  }
}

/** The first line of a query text, trimmed and shortened: a nested plan's label. */
export function statementLabel(queryText: unknown): string {
  const firstLine = typeof queryText === 'string' ? (queryText.split('\n').map((l) => l.trim()).find((l) => l.length > 0) ?? '') : '';
  return firstLine.length > 100 ? `${firstLine.slice(0, 99)}…` : firstLine;
}
