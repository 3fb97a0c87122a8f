// A read-only model of one parsed Bicep file: its declarations and a small evaluator for the
// expressions whose value is known without deploying (literals, variables, loadJsonContent, union).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Node } from 'web-tree-sitter';
import { position, type ParsedBicep, type SourcePosition } from './bicep-parser.js';

/** The value of an expression that only a deployment knows (a resource property, a function result). */
export const UNKNOWN: unique symbol = Symbol('unknown');

export type Value = string | number | boolean | null | typeof UNKNOWN | Value[] | { [key: string]: Value };
export type ObjectValue = { [key: string]: Value };

export interface Origin {
  node: Node;
  /** The key node of each property written in an object literal. */
  keys: Map<string, Node>;
}

const origins = new WeakMap<object, Origin>();

/** Where an evaluated object or array came from, when it was written as a literal. */
export function originOf(value: object): Origin | undefined {
  return origins.get(value);
}

export interface ResourceDeclaration {
  symbol: string;
  /** e.g. `Microsoft.Storage/storageAccounts`. */
  type: string;
  apiVersion: string | undefined;
  existing: boolean;
  conditional: boolean;
  loop: boolean;
  /** The object literal of the body (inside `if` or `for`). */
  body: Node | undefined;
  node: Node;
}

export interface ModuleDeclaration {
  symbol: string;
  path: string;
  body: Node | undefined;
  node: Node;
}

export interface OutputDeclaration {
  name: string;
  type: string;
  decorators: string[];
  value: Node | undefined;
  node: Node;
}

export interface ParameterDeclaration {
  name: string;
  type: string;
  decorators: string[];
  defaultValue: Node | undefined;
  node: Node;
}

export interface CallSite {
  name: string;
  args: Node[];
  node: Node;
}

export function isObjectValue(value: Value | undefined): value is ObjectValue {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function named(node: Node): Node[] {
  return node.namedChildren.filter((child): child is Node => child !== null);
}

function decoratorNames(node: Node): string[] {
  const previous = node.previousNamedSibling;
  if (previous?.type !== 'decorators') return [];
  return named(previous).map((decorator) => decorator.text.replace(/^@/, '').split('(')[0] ?? '');
}

/** The object literal that carries a declaration's body, through `if (...)` and `[for ...: ...]`. */
function bodyOf(node: Node): { body: Node | undefined; conditional: boolean; loop: boolean } {
  let current: Node | undefined = named(node).find((child) =>
    ['object', 'if_statement', 'for_statement'].includes(child.type),
  );
  let conditional = false;
  let loop = false;
  while (current && current.type !== 'object') {
    if (current.type === 'for_statement') {
      loop = true;
      current = current.childForFieldName('body') ?? undefined;
    } else if (current.type === 'if_statement') {
      conditional = true;
      current = named(current).find((child) => child.type === 'object');
    } else {
      current = undefined;
    }
  }
  return { body: current, conditional, loop };
}

/** The key of an object property as written (identifier or quoted string). */
export function propertyKey(property: Node): string | undefined {
  const key = property.namedChildren[0];
  if (!key) return undefined;
  if (key.type === 'string') {
    const value = stringLiteral(key);
    return typeof value === 'string' ? value : undefined;
  }
  return key.text;
}

export function propertyValue(property: Node): Node | undefined {
  return property.namedChildren[1] ?? undefined;
}

/** The text of a string without interpolation, else UNKNOWN. */
function stringLiteral(node: Node): string | typeof UNKNOWN {
  let text = '';
  for (const part of node.children) {
    if (!part || part.type === "'" || part.type === "'''") continue;
    if (part.type === 'interpolation') return UNKNOWN;
    text += part.type === 'escape_sequence' || part.text.startsWith('\\') ? unescape(part.text) : part.text;
  }
  return text;
}

function unescape(sequence: string): string {
  const simple: Record<string, string> = { n: '\n', r: '\r', t: '\t', '\\': '\\', "'": "'", $: '$' };
  const body = sequence.slice(1);
  if (body.startsWith('u{')) return String.fromCodePoint(parseInt(body.slice(2, -1), 16));
  return simple[body] ?? body;
}

function deepUnion(values: Value[]): Value {
  if (values.every(isObjectValue)) {
    const merged: ObjectValue = {};
    for (const value of values) {
      for (const [key, item] of Object.entries(value)) {
        const before = merged[key];
        merged[key] = isObjectValue(before) && isObjectValue(item) ? deepUnion([before, item]) : item;
      }
    }
    return merged;
  }
  if (values.every((value): value is Value[] => Array.isArray(value))) return [...new Set(values.flat())];
  return UNKNOWN;
}

export class BicepTemplate {
  readonly resources: ResourceDeclaration[] = [];
  readonly modules: ModuleDeclaration[] = [];
  readonly outputs: OutputDeclaration[] = [];
  readonly parameters: ParameterDeclaration[] = [];
  readonly variables = new Map<string, Node>();
  readonly extensions: string[];
  private readonly evaluating = new Set<string>();
  private symbolic = false;
  private parameterValues = new Map<string, Value>();
  private functionValues = new Map<string, (args: Value[]) => Value>();

  constructor(
    readonly parsed: ParsedBicep,
    /** Absolute path of the file, to resolve loadJsonContent and module paths. */
    readonly path: string,
  ) {
    this.extensions = [...parsed.source.matchAll(/^[ \t]*extension[ \t]+(\S+)/gm)].map(
      (match) => match[1] ?? '',
    );
    for (const node of named(parsed.root)) this.readDeclaration(node);
  }

  get file(): string {
    return this.parsed.file;
  }

  where(node: Node): SourcePosition {
    return position(this.parsed.file, node);
  }

  private readDeclaration(node: Node): void {
    const children = named(node);
    const name = children[0]?.text ?? '';
    switch (node.type) {
      case 'resource_declaration': {
        const typeText = children[1] ? stringLiteral(children[1]) : UNKNOWN;
        const [type = '', apiVersion] = typeof typeText === 'string' ? typeText.split('@') : [''];
        const existing = node.children.some((child) => child?.type === 'existing');
        this.resources.push({ symbol: name, type, apiVersion, existing, node, ...bodyOf(node) });
        break;
      }
      case 'module_declaration': {
        const path = children[1] ? stringLiteral(children[1]) : UNKNOWN;
        this.modules.push({
          symbol: name,
          path: typeof path === 'string' ? path : '',
          node,
          body: bodyOf(node).body,
        });
        break;
      }
      case 'output_declaration':
        this.outputs.push({
          name,
          type: children[1]?.text ?? '',
          decorators: decoratorNames(node),
          value: children[2] ?? undefined,
          node,
        });
        break;
      case 'parameter_declaration':
        this.parameters.push({
          name,
          type: children[1]?.text ?? '',
          decorators: decoratorNames(node),
          defaultValue: children[2] ?? undefined,
          node,
        });
        break;
      case 'variable_declaration':
        if (children[1]) this.variables.set(name, children[1]);
        break;
    }
  }

  /** Every function call in the file, including decorators and nested calls. */
  calls(): CallSite[] {
    const found: CallSite[] = [];
    const visit = (node: Node): void => {
      if (node.type === 'call_expression') {
        const callee = node.childForFieldName('function');
        const args = node.childForFieldName('arguments');
        if (callee) found.push({ name: callee.text, args: args ? named(args) : [], node });
      }
      for (const child of named(node)) visit(child);
    };
    visit(this.parsed.root);
    return found;
  }

  /** Property nodes of an object literal, by key. */
  properties(objectNode: Node): Map<string, Node> {
    const map = new Map<string, Node>();
    for (const child of named(objectNode)) {
      if (child.type !== 'object_property') continue;
      const key = propertyKey(child);
      const value = propertyValue(child);
      if (key !== undefined && value) map.set(key, value);
    }
    return map;
  }

  /** Values for parameters (else their defaults) in later evaluations. */
  setParameters(values: Record<string, Value>): this {
    this.parameterValues = new Map(Object.entries(values));
    return this;
  }

  /** Stand-ins for functions only a deployment can compute, e.g. a fixed `uniqueString` result. */
  setFunctions(functions: Record<string, (args: Value[]) => Value>): this {
    this.functionValues = new Map(Object.entries(functions));
    return this;
  }

  /**
   * Like evaluate, but an unknown expression becomes its source text as `${expression}`, so a test
   * can see which expression feeds a value (e.g. `${identity.properties.clientId}`).
   */
  evaluateSymbolic(node: Node | undefined): Value {
    const before = this.symbolic;
    this.symbolic = true;
    try {
      return this.evaluate(node);
    } finally {
      this.symbolic = before;
    }
  }

  private unknown(node: Node): Value {
    return this.symbolic ? `\${${node.text}}` : UNKNOWN;
  }

  /** Evaluates what is knowable offline; anything else becomes UNKNOWN, as locally as possible. */
  evaluate(node: Node | undefined): Value {
    if (!node) return UNKNOWN;
    const value = this.evaluateKnown(node);
    return value === UNKNOWN ? this.unknown(node) : value;
  }

  private evaluateKnown(node: Node): Value {
    switch (node.type) {
      case 'string':
        return this.evaluateString(node);
      case 'number':
        return Number(node.text);
      case 'boolean':
        return node.text === 'true';
      case 'null':
        return null;
      case 'parenthesized_expression': {
        const inner = named(node);
        return inner.length === 1 ? this.evaluate(inner[0]) : UNKNOWN;
      }
      case 'object':
        return this.evaluateObject(node);
      case 'array': {
        const items = named(node)
          .filter((child) => child.type !== 'decorators')
          .map((child) => this.evaluate(child));
        origins.set(items, { node, keys: new Map() });
        return items;
      }
      case 'identifier':
        return this.evaluateVariable(node.text);
      case 'member_expression':
        return this.evaluateMember(node);
      case 'subscript_expression':
        return this.evaluateSubscript(node);
      case 'call_expression':
        return this.evaluateCall(node);
      case 'ternary_expression': {
        const condition = this.evaluateStrict(node.childForFieldName('condition'));
        if (typeof condition !== 'boolean') return UNKNOWN;
        return this.evaluate(node.childForFieldName(condition ? 'consequence' : 'alternative') ?? undefined);
      }
      case 'binary_expression':
        return this.evaluateBinary(node);
      case 'unary_expression': {
        const operator = node.childForFieldName('operator')?.text;
        const argument = this.evaluateStrict(node.childForFieldName('argument'));
        if (operator === '!' && typeof argument === 'boolean') return !argument;
        if (operator === '-' && typeof argument === 'number') return -argument;
        return UNKNOWN;
      }
      default:
        return UNKNOWN;
    }
  }

  /** Evaluates without symbolic text, for values that decide control flow. */
  private evaluateStrict(node: Node | null): Value {
    const before = this.symbolic;
    this.symbolic = false;
    try {
      return this.evaluate(node ?? undefined);
    } finally {
      this.symbolic = before;
    }
  }

  private evaluateBinary(node: Node): Value {
    const operator = node.childForFieldName('operator')?.text;
    const left = this.evaluateStrict(node.childForFieldName('left'));
    const right = this.evaluateStrict(node.childForFieldName('right'));
    if (operator === '??') return left === null ? right : left;
    if (left === UNKNOWN || right === UNKNOWN) return UNKNOWN;
    const isPrimitive = (value: Value): boolean => value === null || typeof value !== 'object';
    switch (operator) {
      case '==':
        return isPrimitive(left) && isPrimitive(right) ? left === right : UNKNOWN;
      case '!=':
        return isPrimitive(left) && isPrimitive(right) ? left !== right : UNKNOWN;
      case '&&':
        return typeof left === 'boolean' && typeof right === 'boolean' ? left && right : UNKNOWN;
      case '||':
        return typeof left === 'boolean' && typeof right === 'boolean' ? left || right : UNKNOWN;
      default:
        return UNKNOWN;
    }
  }

  private evaluateString(node: Node): Value {
    let text = '';
    for (const part of node.children) {
      if (!part || part.type === "'" || part.type === "'''") continue;
      if (part.type === 'interpolation') {
        const value = this.evaluate(named(part)[0]);
        if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')
          return UNKNOWN;
        text += String(value);
      } else {
        text +=
          part.type === 'escape_sequence' || part.text.startsWith('\\') ? unescape(part.text) : part.text;
      }
    }
    return text;
  }

  private evaluateObject(node: Node): ObjectValue {
    const value: ObjectValue = {};
    const keys = new Map<string, Node>();
    for (const child of named(node)) {
      if (child.type !== 'object_property') continue;
      const key = propertyKey(child);
      if (key === undefined) continue;
      value[key] = this.evaluate(propertyValue(child));
      keys.set(key, child);
    }
    origins.set(value, { node, keys });
    return value;
  }

  private evaluateVariable(name: string): Value {
    if (this.parameterValues.has(name)) return this.parameterValues.get(name) ?? UNKNOWN;
    const parameter = this.parameters.find((candidate) => candidate.name === name);
    if (parameter) return parameter.defaultValue ? this.evaluate(parameter.defaultValue) : UNKNOWN;
    const declaration = this.variables.get(name);
    if (!declaration || this.evaluating.has(name)) return UNKNOWN;
    this.evaluating.add(name);
    try {
      return this.evaluate(declaration);
    } finally {
      this.evaluating.delete(name);
    }
  }

  private evaluateMember(node: Node): Value {
    const target = this.evaluate(node.childForFieldName('object') ?? undefined);
    const property = node.childForFieldName('property')?.text;
    if (!isObjectValue(target) || property === undefined) return UNKNOWN;
    return target[property] ?? UNKNOWN;
  }

  private evaluateSubscript(node: Node): Value {
    const target = this.evaluate(node.childForFieldName('object') ?? undefined);
    const index = this.evaluate(node.childForFieldName('index') ?? undefined);
    if (Array.isArray(target) && typeof index === 'number') return target[index] ?? UNKNOWN;
    if (isObjectValue(target) && typeof index === 'string') return target[index] ?? UNKNOWN;
    return UNKNOWN;
  }

  private evaluateCall(node: Node): Value {
    const name = node.childForFieldName('function')?.text;
    const argsNode = node.childForFieldName('arguments');
    const args = argsNode ? named(argsNode) : [];
    switch (name) {
      case 'loadJsonContent': {
        const path = this.evaluate(args[0]);
        if (typeof path !== 'string' || args.length > 1) return UNKNOWN;
        const file = this.resolvePath(path);
        return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Value) : UNKNOWN;
      }
      case 'union': {
        const values = args.map((arg) => this.evaluate(arg));
        return values.includes(UNKNOWN) ? UNKNOWN : deepUnion(values);
      }
      case 'string': {
        const value = this.evaluate(args[0]);
        return typeof value === 'number' || typeof value === 'boolean' ? String(value) : UNKNOWN;
      }
      case 'toLower':
      case 'toUpper': {
        const value = this.evaluateStrict(args[0] ?? null);
        if (typeof value !== 'string') return UNKNOWN;
        return name === 'toLower' ? value.toLowerCase() : value.toUpperCase();
      }
      default: {
        const standIn = name === undefined ? undefined : this.functionValues.get(name);
        return standIn ? standIn(args.map((arg) => this.evaluateStrict(arg))) : UNKNOWN;
      }
    }
  }

  /** A path written in this file (module or loadJsonContent), made absolute. */
  resolvePath(relativePath: string): string {
    return resolve(dirname(this.path), relativePath);
  }
}
