/**
 * A story card's `when` condition over the ink state: variables (`trust >= 3`, `met_keeper`),
 * visit counts (`visits("tower.top") > 0`), the turn number (`turn`), numbers, strings and
 * booleans, compared and combined with `and`, `or`, `not` (`&&`, `||`, `!` too) and parentheses.
 * Parsed by jsep into a tree and evaluated by walking it: no `eval`, no property access, no
 * function but `visits`.
 * @module
 */
import jsep, { type Expression } from 'jsep';

jsep.addBinaryOp('and', 2);
jsep.addBinaryOp('or', 1);
jsep.addUnaryOp('not');

/** What a condition may read. */
export interface ConditionScope {
  /** A variable's value; undefined for one the story does not declare. */
  variable(name: string): number | string | boolean | undefined;
  /** How often the knot or stitch at this path was visited. */
  visits(path: string): number;
  turn: number;
}

/** A parsed condition and the names it reads, so they can be checked against the story. */
export interface CardCondition {
  readonly source: string;
  readonly tree: Expression;
  readonly variables: readonly string[];
  readonly paths: readonly string[];
}

export class ConditionError extends Error {}

const COMPARISONS = new Set(['==', '!=', '<', '<=', '>', '>=']);
const MAX_CHARS = 500;

/** Parse a condition; throws ConditionError naming what is wrong. */
export function parseCondition(source: string): CardCondition {
  if (source.length > MAX_CHARS) throw new ConditionError(`a condition is at most ${MAX_CHARS} characters`);
  let tree: Expression;
  try {
    tree = jsep(source);
  } catch (err) {
    throw new ConditionError(`cannot parse "${source}": ${err instanceof Error ? err.message : String(err)}`);
  }
  const variables = new Set<string>();
  const paths = new Set<string>();
  check(tree, variables, paths);
  return { source, tree, variables: [...variables], paths: [...paths] };
}

function check(node: Expression, variables: Set<string>, paths: Set<string>): void {
  switch (node.type) {
    case 'Literal':
      if (!['number', 'string', 'boolean'].includes(typeof node.value)) throw new ConditionError(`unsupported value ${String(node.raw)}`);
      return;
    case 'Identifier':
      if (node.name !== 'turn' && node.name !== 'true' && node.name !== 'false') variables.add(node.name as string);
      return;
    case 'UnaryExpression':
      if (!['not', '!', '-'].includes(node.operator as string)) throw new ConditionError(`unsupported operator ${String(node.operator)}`);
      return check(node.argument as Expression, variables, paths);
    case 'BinaryExpression': {
      const op = node.operator as string;
      if (!COMPARISONS.has(op) && !['and', 'or', '&&', '||', '+', '-'].includes(op)) throw new ConditionError(`unsupported operator ${op}`);
      check(node.left as Expression, variables, paths);
      return check(node.right as Expression, variables, paths);
    }
    case 'CallExpression': {
      const callee = node.callee as Expression;
      const args = node.arguments as Expression[];
      const path = args[0];
      if (callee.type !== 'Identifier' || callee.name !== 'visits' || args.length !== 1 || path?.type !== 'Literal' || typeof path.value !== 'string') {
        throw new ConditionError('the only function is visits("knot" or "knot.stitch")');
      }
      paths.add(path.value);
      return;
    }
    default:
      throw new ConditionError(`unsupported expression (${node.type})`);
  }
}

/** What the story offers a condition: its variables and its knots and stitches. */
export interface ConditionTarget {
  readonly variableNames: readonly string[];
  hasPath(path: string): boolean;
}

/** The names a condition reads that the story lacks, each as `{name, message}` (empty: it fits the story). */
export function unknownNames(condition: CardCondition, story: ConditionTarget): { name: string; message: string }[] {
  return [
    ...condition.variables.filter((v) => !story.variableNames.includes(v)).map((v) => ({ name: v, message: `the story has no variable "${v}"` })),
    ...condition.paths.filter((p) => !story.hasPath(p)).map((p) => ({ name: p, message: `the story has no knot or stitch "${p}"` })),
  ];
}

type Value = number | string | boolean;

/** Whether the condition holds in this scope (a variable the story lacks reads as false). */
export function holds(condition: CardCondition, scope: ConditionScope): boolean {
  return Boolean(evaluate(condition.tree, scope));
}

function evaluate(node: Expression, scope: ConditionScope): Value {
  switch (node.type) {
    case 'Literal':
      return node.value as Value;
    case 'Identifier':
      if (node.name === 'turn') return scope.turn;
      if (node.name === 'true' || node.name === 'false') return node.name === 'true';
      return scope.variable(node.name as string) ?? false;
    case 'UnaryExpression': {
      const value = evaluate(node.argument as Expression, scope);
      return node.operator === '-' ? -Number(value) : !value;
    }
    case 'BinaryExpression':
      return binary(node.operator as string, node.left as Expression, node.right as Expression, scope);
    case 'CallExpression':
      return scope.visits(String((node.arguments as Expression[])[0]?.value));
    default:
      return false;
  }
}

function binary(op: string, leftNode: Expression, rightNode: Expression, scope: ConditionScope): Value {
  const left = evaluate(leftNode, scope);
  if (op === 'and' || op === '&&') return Boolean(left) && Boolean(evaluate(rightNode, scope));
  if (op === 'or' || op === '||') return Boolean(left) || Boolean(evaluate(rightNode, scope));
  const right = evaluate(rightNode, scope);
  switch (op) {
    case '==':
      return left === right;
    case '!=':
      return left !== right;
    case '<':
      return left < right;
    case '<=':
      return left <= right;
    case '>':
      return left > right;
    case '>=':
      return left >= right;
    case '+':
      return typeof left === 'string' || typeof right === 'string' ? `${left}${right}` : Number(left) + Number(right);
    default:
      return Number(left) - Number(right);
  }
}
