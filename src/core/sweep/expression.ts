/**
 * The small expression language of a sweep's `where` and `keep`: numbers, 'strings', true,
 * false, null, names (an axis by its last path segment or its whole path, a performance metric),
 * + - * /, comparisons (< <= > >= == !=), && || !, parentheses. Parsed once into a tree and
 * evaluated per variant; nothing is ever passed to eval. A comparison with null (a metric with no
 * value, such as a Sharpe ratio over one day) is false.
 */

/** A parsed expression. */
export type Expr =
  | { kind: "value"; value: number | string | boolean | null }
  | { kind: "name"; name: string }
  | { kind: "not"; operand: Expr }
  | { kind: "negate"; operand: Expr }
  | { kind: "binary"; op: BinaryOp; left: Expr; right: Expr };

type BinaryOp = "||" | "&&" | "==" | "!=" | "<" | "<=" | ">" | ">=" | "+" | "-" | "*" | "/";

/** A value names resolve to. */
export type ExprValue = number | string | boolean | null;

/** An expression that cannot be read, with where in the text. */
export class ExpressionError extends Error {
  constructor(
    message: string,
    readonly at: number,
  ) {
    super(message);
  }
}

const TOKEN = /\s*(?:(\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)|('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")|([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*|\[\d+\])*)|(\|\||&&|==|!=|<=|>=|[<>!()+\-*/]))/y;

interface Token {
  type: "number" | "string" | "name" | "op" | "end";
  text: string;
  at: number;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < text.length) {
    if (/^\s*$/.test(text.slice(at))) break;
    TOKEN.lastIndex = at;
    const match = TOKEN.exec(text);
    if (!match) throw new ExpressionError(`unexpected ${JSON.stringify(text.slice(at).trim()[0])}`, at);
    const start = match.index + match[0].length - (match[1] ?? match[2] ?? match[3] ?? match[4])!.length;
    if (match[1] !== undefined) tokens.push({ type: "number", text: match[1], at: start });
    else if (match[2] !== undefined) tokens.push({ type: "string", text: match[2], at: start });
    else if (match[3] !== undefined) tokens.push({ type: "name", text: match[3], at: start });
    else tokens.push({ type: "op", text: match[4]!, at: start });
    at = TOKEN.lastIndex;
  }
  tokens.push({ type: "end", text: "", at: text.length });
  return tokens;
}

const LEVELS: BinaryOp[][] = [["||"], ["&&"], ["==", "!="], ["<", "<=", ">", ">="], ["+", "-"], ["*", "/"]];

/** Parses an expression; throws an ExpressionError saying what was expected where. */
export function parseExpression(text: string): Expr {
  const tokens = tokenize(text);
  let i = 0;
  const peek = () => tokens[i]!;
  const level = (n: number): Expr => {
    if (n === LEVELS.length) return unary();
    let left = level(n + 1);
    while (peek().type === "op" && (LEVELS[n] as string[]).includes(peek().text)) {
      const op = tokens[i++]!.text as BinaryOp;
      left = { kind: "binary", op, left, right: level(n + 1) };
    }
    return left;
  };
  const unary = (): Expr => {
    const token = peek();
    if (token.type === "op" && token.text === "!") return i++, { kind: "not", operand: unary() };
    if (token.type === "op" && token.text === "-") return i++, { kind: "negate", operand: unary() };
    return primary();
  };
  const primary = (): Expr => {
    const token = tokens[i++]!;
    switch (token.type) {
      case "number":
        return { kind: "value", value: Number(token.text) };
      case "string":
        return { kind: "value", value: token.text.slice(1, -1).replace(/\\(.)/g, "$1") };
      case "name":
        if (token.text === "true" || token.text === "false") return { kind: "value", value: token.text === "true" };
        if (token.text === "null") return { kind: "value", value: null };
        return { kind: "name", name: token.text };
      case "op":
        if (token.text === "(") {
          const inner = level(0);
          const close = tokens[i++]!;
          if (close.text !== ")") throw new ExpressionError(`expected ")" at ${describe(close)}`, close.at);
          return inner;
        }
        throw new ExpressionError(`expected a value, a name or "(" at ${describe(token)}`, token.at);
      case "end":
        throw new ExpressionError("the expression ends too early", token.at);
    }
  };
  const tree = level(0);
  if (peek().type !== "end") throw new ExpressionError(`unexpected ${describe(peek())}: expected an operator (&& || == != < <= > >= + - * /) or the end`, peek().at);
  return tree;
}

function describe(token: Token): string {
  return token.type === "end" ? "the end" : JSON.stringify(token.text);
}

/** Every name an expression reads. */
export function namesIn(expr: Expr): string[] {
  switch (expr.kind) {
    case "value":
      return [];
    case "name":
      return [expr.name];
    case "not":
    case "negate":
      return namesIn(expr.operand);
    case "binary":
      return [...namesIn(expr.left), ...namesIn(expr.right)];
  }
}

/** Evaluates an expression with the names' values. */
export function evaluate(expr: Expr, lookup: (name: string) => ExprValue): ExprValue {
  switch (expr.kind) {
    case "value":
      return expr.value;
    case "name":
      return lookup(expr.name);
    case "not":
      return !truthy(evaluate(expr.operand, lookup));
    case "negate": {
      const value = evaluate(expr.operand, lookup);
      return typeof value === "number" ? -value : null;
    }
    case "binary": {
      if (expr.op === "||") return truthy(evaluate(expr.left, lookup)) || truthy(evaluate(expr.right, lookup));
      if (expr.op === "&&") return truthy(evaluate(expr.left, lookup)) && truthy(evaluate(expr.right, lookup));
      const a = evaluate(expr.left, lookup);
      const b = evaluate(expr.right, lookup);
      switch (expr.op) {
        case "==":
          return a === b;
        case "!=":
          return a !== b;
        case "<":
        case "<=":
        case ">":
        case ">=":
          return compare(expr.op, a, b);
        default:
          return arithmetic(expr.op, a, b);
      }
    }
  }
}

/** True for true, a non-zero number, a non-empty string. */
export function truthy(value: ExprValue): boolean {
  return value !== null && value !== false && value !== 0 && value !== "";
}

function compare(op: "<" | "<=" | ">" | ">=", a: ExprValue, b: ExprValue): boolean {
  if (a === null || b === null || typeof a !== typeof b || typeof a === "boolean") return false;
  const x = a as number | string;
  const y = b as number | string;
  return op === "<" ? x < y : op === "<=" ? x <= y : op === ">" ? x > y : x >= y;
}

function arithmetic(op: "+" | "-" | "*" | "/", a: ExprValue, b: ExprValue): ExprValue {
  if (typeof a !== "number" || typeof b !== "number") return null;
  if (op === "+") return a + b;
  if (op === "-") return a - b;
  if (op === "*") return a * b;
  return b === 0 ? null : a / b;
}
