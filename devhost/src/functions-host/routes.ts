// ASP.NET-style route templates as HTTP triggers use them: `items/{id:int}`, `{name?}`, `{*rest}`.
// TODO(functions-host): `{{`/`}}` brace escapes (for regex constraints with quantifiers) are not
// supported; no app here needs them and such a template fails to compile with a clear error.

/** A compiled route template. */
export interface RouteTemplate {
  template: string;
  /** Orders templates the way the host does: literals win over parameters, catch-alls come last. */
  precedence: number[];
  match(path: string): Record<string, string> | undefined;
}

/** The route template is malformed; the message quotes it. */
export class RouteTemplateError extends Error {
  override readonly name = 'RouteTemplateError';
}

interface Parameter {
  name: string;
  optional: boolean;
  catchAll: boolean;
  defaultValue?: string;
  constraints: { name: string; args: string[] }[];
}

const INT32 = { min: -2147483648, max: 2147483647 };
const GUID = /^[{(]?[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}[)}]?$/i;

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function parseParameter(body: string, template: string): Parameter {
  const catchAll = body.startsWith('*');
  let rest = body.replace(/^\*{1,2}/, '');
  let defaultValue: string | undefined;
  const equals = rest.indexOf('=');
  if (equals >= 0 && !rest.slice(0, equals).includes('(')) {
    defaultValue = rest.slice(equals + 1);
    rest = rest.slice(0, equals);
  }
  const optional = rest.endsWith('?');
  if (optional) rest = rest.slice(0, -1);
  const [name = '', ...constraintTexts] = splitConstraints(rest);
  if (!/^[A-Za-z_][\w]*$/.test(name)) {
    throw new RouteTemplateError(`Route template "${template}" has a bad parameter "{${body}}".`);
  }
  const constraints = constraintTexts.map((text) => {
    const open = text.indexOf('(');
    if (open < 0) return { name: text.toLowerCase(), args: [] };
    const args = text.slice(open + 1, text.lastIndexOf(')'));
    const constraint = text.slice(0, open).toLowerCase();
    return {
      name: constraint,
      args: constraint === 'regex' ? [args] : args.split(',').map((arg) => arg.trim()),
    };
  });
  return {
    name,
    optional: optional || catchAll || defaultValue !== undefined,
    catchAll,
    defaultValue,
    constraints,
  };
}

/** Splits `id:int:range(1,5)` on the colons outside parentheses. */
function splitConstraints(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of text) {
    if (char === '(') depth += 1;
    if (char === ')') depth -= 1;
    if (char === ':' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts;
}

function number(value: string): number | undefined {
  return /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(value) ? Number(value) : undefined;
}

/** Whether a value satisfies one inline constraint; unknown constraints are errors at compile time. */
function satisfies(value: string, constraint: { name: string; args: string[] }): boolean {
  const [first = '', second = ''] = constraint.args;
  const n = number(value);
  switch (constraint.name) {
    case 'int':
      return /^[-+]?\d+$/.test(value) && Number(value) >= INT32.min && Number(value) <= INT32.max;
    case 'long':
      return /^[-+]?\d{1,19}$/.test(value);
    case 'bool':
      return /^(true|false)$/i.test(value);
    case 'guid':
      return GUID.test(value);
    case 'datetime':
      return !Number.isNaN(Date.parse(value));
    case 'decimal':
    case 'double':
    case 'float':
      return n !== undefined;
    case 'alpha':
      return /^[a-z]+$/i.test(value);
    case 'required':
      return value.length > 0;
    case 'minlength':
      return value.length >= Number(first);
    case 'maxlength':
      return value.length <= Number(first);
    case 'length':
      return constraint.args.length > 1
        ? value.length >= Number(first) && value.length <= Number(second)
        : value.length === Number(first);
    case 'min':
      return n !== undefined && n >= Number(first);
    case 'max':
      return n !== undefined && n <= Number(first);
    case 'range':
      return n !== undefined && n >= Number(first) && n <= Number(second);
    case 'regex':
      return new RegExp(first, 'i').test(value);
    default:
      return false;
  }
}

const KNOWN = new Set(
  'int long bool guid datetime decimal double float alpha required minlength maxlength length min max range regex'.split(
    ' ',
  ),
);

/** Compiles a template such as `api/items/{id:int}/{*rest}` (no leading slash needed). */
export function compileRoute(template: string): RouteTemplate {
  const segments = template.split('/').filter((segment) => segment.length > 0);
  const parameters: Parameter[] = [];
  const precedence: number[] = [];
  let pattern = '^';

  segments.forEach((segment, index) => {
    const pieces = segment.split(/(\{[^}]*\})/).filter((piece) => piece.length > 0);
    const params = pieces
      .filter((piece) => piece.startsWith('{'))
      .map((piece) => parseParameter(piece.slice(1, -1), template));
    for (const param of params) {
      const unknown = param.constraints.find((constraint) => !KNOWN.has(constraint.name));
      if (unknown)
        throw new RouteTemplateError(
          `Route template "${template}" uses unknown constraint "${unknown.name}".`,
        );
      if (param.catchAll && index !== segments.length - 1) {
        throw new RouteTemplateError(
          `Route template "${template}": a catch-all parameter must be the last segment.`,
        );
      }
    }

    const only = pieces.length === 1 ? params[0] : undefined;
    if (only?.catchAll) {
      pattern += '(?:/(.*))?';
      precedence.push(5);
    } else if (only?.optional) {
      pattern += '(?:/([^/]+))?';
      precedence.push(4);
    } else {
      pattern += '/';
      for (const piece of pieces) pattern += piece.startsWith('{') ? '([^/]+?)' : escapeRegex(piece);
      precedence.push(params.length === 0 ? 1 : params.some((param) => param.constraints.length > 0) ? 2 : 3);
    }
    parameters.push(...params);
  });
  const regex = new RegExp(`${pattern}/?$`, 'i');

  return {
    template,
    precedence,
    match(path) {
      const found = regex.exec(path);
      if (!found) return undefined;
      const values: Record<string, string> = {};
      for (const [index, param] of parameters.entries()) {
        const raw = found[index + 1];
        const value = raw === undefined || raw === '' ? param.defaultValue : safeDecode(raw);
        if (value === undefined) {
          if (!param.optional) return undefined;
          continue;
        }
        if (!param.constraints.every((constraint) => satisfies(value, constraint))) return undefined;
        values[param.name] = value;
      }
      return values;
    },
  };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Sorts compiled routes so the most specific template is tried first. */
export function byPrecedence(a: RouteTemplate, b: RouteTemplate): number {
  const length = Math.max(a.precedence.length, b.precedence.length);
  for (let i = 0; i < length; i += 1) {
    const diff = (a.precedence[i] ?? 0) - (b.precedence[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}
