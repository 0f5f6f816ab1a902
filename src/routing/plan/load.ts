/**
 * Reads a routing plan (YAML, or JSON which YAML reads too) and checks it whole: every problem is
 * reported at once as `file:line: rule "name": reason`, and a refused plan throws
 * RELAIS_ERR_ROUTING_PLAN (at start Relais stops; on reload the running plan stays in force).
 */
import { readFileSync } from 'node:fs';
import { Value } from '@sinclair/typebox/value';
import { isNode, LineCounter, parseDocument } from 'yaml';
import { RelaisError } from '../../errors.js';
import { type CompiledPlan, type CompileOptions, compilePlan, type PlanProblem } from './compile.js';
import { type Plan, PlanSchema } from './schema.js';

export interface LocatedProblem {
  line: number | undefined;
  path: string;
  rule: string | undefined;
  message: string;
}

export function loadPlanFile(file: string, opts: CompileOptions): CompiledPlan {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new RelaisError('RELAIS_ERR_ROUTING_PLAN', `cannot read the routing plan ${file}`, { cause });
  }
  return parsePlan(text, file, opts);
}

export function parsePlan(text: string, file: string, opts: CompileOptions): CompiledPlan {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const problems = doc.errors.map((e) => ({
      line: lines.linePos(e.pos[0]).line,
      path: '',
      rule: undefined,
      message: e.message.split('\n')[0] ?? e.message,
    }));
    throw refused(file, problems);
  }
  const raw = doc.toJS() ?? {};
  const lineOf = (path: Array<string | number>): number | undefined => {
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n), true);
      if (isNode(node) && node.range) return lines.linePos(node.range[0]).line;
    }
    return undefined;
  };
  const ruleOf = (path: Array<string | number>): string | undefined => {
    if (path[0] !== 'rules' || typeof path[1] !== 'number') return undefined;
    const name = (raw as { rules?: Array<{ name?: unknown }> }).rules?.[path[1]]?.name;
    return typeof name === 'string' ? name : `#${path[1] + 1}`;
  };
  const locate = (p: PlanProblem): LocatedProblem => ({
    line: lineOf(p.path),
    // Inside a rule, the path from the rule on (`when.dnis.prefix`): the rule is named apart.
    path: (ruleOf(p.path) === undefined ? p.path : p.path.slice(2)).join('.'),
    rule: ruleOf(p.path),
    message: p.message,
  });

  const value = Value.Default(PlanSchema, Value.Clone(raw));
  const schemaProblems = [...Value.Errors(PlanSchema, value)];
  if (schemaProblems.length > 0) {
    // A union reports each branch; the first error per key is the useful one.
    const seen = new Set<string>();
    const problems: LocatedProblem[] = [];
    for (const e of schemaProblems) {
      if (seen.has(e.path)) continue;
      seen.add(e.path);
      const path = e.path
        .split('/')
        .slice(1)
        .map((s) => (/^[0-9]+$/.test(s) ? Number(s) : s.replace(/~1/g, '/').replace(/~0/g, '~')));
      problems.push(
        locate({
          path,
          message: `${e.message}${e.value === undefined ? '' : ` (got ${JSON.stringify(e.value)})`}`,
        }),
      );
    }
    throw refused(file, problems);
  }
  const { compiled, problems } = compilePlan(value as Plan, opts);
  if (!compiled) throw refused(file, problems.map(locate));
  return compiled;
}

function refused(file: string, unordered: LocatedProblem[]): RelaisError {
  // In file order, as the reader fixes them; the sort is stable within a line.
  const problems = [...unordered].sort(
    (a, b) => (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER),
  );
  const lines = problems.map(
    (p) =>
      `${file}${p.line === undefined ? '' : `:${p.line}`}: ${p.rule === undefined ? '' : `rule "${p.rule}": `}${p.path && !isActionOrName(p.path) ? `${p.path}: ` : ''}${p.message}`,
  );
  return new RelaisError(
    'RELAIS_ERR_ROUTING_PLAN',
    `the routing plan was refused (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${lines.join('\n')}`,
    { details: { file, problems } },
  );
}

/** Paths whose message already says what it is about (a rule's action, name or conditions). */
function isActionOrName(path: string): boolean {
  return path === 'name' || path.startsWith('then') || path.startsWith('when');
}
