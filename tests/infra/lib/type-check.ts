// Checks resource bodies against the generated type data: unknown properties, missing required
// ones, read-only ones written, values of the wrong kind, and API versions the data does not know.
// Values that only a deployment knows are skipped one property at a time.
import type { Node } from 'web-tree-sitter';
import { formatPosition, type SourcePosition } from './bicep-parser.js';
import {
  type BicepTypeIndex,
  PropertyFlags,
  type PropertyType,
  type TypeEntry,
  type TypeFile,
} from './bicep-types.js';
import {
  isObjectValue,
  originOf,
  UNKNOWN,
  type BicepTemplate,
  type ResourceDeclaration,
  type Value,
} from './bicep-template.js';

export type ProblemKind =
  | 'unknown-api-version'
  | 'unknown-resource-type'
  | 'unknown-property'
  | 'missing-required'
  | 'read-only'
  | 'wrong-type';

export interface TypeProblem extends SourcePosition {
  kind: ProblemKind;
  message: string;
}

export interface ResourceCheck {
  resource: ResourceDeclaration;
  /** False when the type data does not cover the resource's provider at all. */
  checked: boolean;
  problems: TypeProblem[];
}

/** Keys a Bicep resource body may hold that are Bicep's, not the resource type's. */
const bicepKeywords = new Set(['parent', 'scope', 'dependsOn']);

export function formatProblem(problem: TypeProblem): string {
  return `${formatPosition(problem)}: ${problem.kind}: ${problem.message}`;
}

class BodyChecker {
  readonly problems: TypeProblem[] = [];

  constructor(
    private readonly template: BicepTemplate,
    private readonly file: TypeFile,
    private readonly resourceName: string,
  ) {}

  report(kind: ProblemKind, at: Node, path: string, message: string): void {
    const where = this.template.where(at);
    this.problems.push({ ...where, kind, message: `${this.resourceName} ${path || '(body)'}: ${message}` });
  }

  check(value: Value, type: TypeEntry, path: string, at: Node, options: { top?: boolean } = {}): void {
    if (value === UNKNOWN) return;
    // A symbolic evaluation renders an expression it cannot compute as `${...}`: its type is unknown too.
    if (typeof value === 'string' && /^\$\{[^]*\}$/.test(value) && !isStringType(type)) return;
    switch (type.$type) {
      case 'ObjectType':
        this.checkObject(
          value,
          type.properties ?? {},
          type.additionalProperties,
          path,
          at,
          options.top ?? false,
        );
        return;
      case 'DiscriminatedObjectType':
        this.checkDiscriminated(value, type, path, at, options.top ?? false);
        return;
      case 'ArrayType':
        if (!Array.isArray(value)) return this.report('wrong-type', at, path, 'expected an array');
        value.forEach((item, index) => {
          const itemAt = (originOf(value)?.node.namedChildren[index] ?? undefined) || at;
          this.check(item, this.file.resolve(type.itemType), `${path}[${index}]`, itemAt);
        });
        return;
      case 'UnionType':
        this.checkUnion(
          value,
          type.elements.map((ref) => this.file.resolve(ref)),
          path,
          at,
        );
        return;
      case 'StringLiteralType':
        if (value !== type.value)
          this.report('wrong-type', at, path, `expected '${type.value}', got ${describe(value)}`);
        return;
      case 'StringType':
        if (typeof value !== 'string') {
          this.report('wrong-type', at, path, `expected a string, got ${describe(value)}`);
        } else {
          this.checkString(value, type, path, at);
        }
        return;
      case 'IntegerType':
        if (typeof value !== 'number')
          this.report('wrong-type', at, path, `expected an integer, got ${describe(value)}`);
        return;
      case 'BooleanType':
        if (typeof value !== 'boolean')
          this.report('wrong-type', at, path, `expected a boolean, got ${describe(value)}`);
        return;
      default:
        return;
    }
  }

  private checkString(
    value: string,
    type: Extract<TypeEntry, { $type: 'StringType' }>,
    path: string,
    at: Node,
  ): void {
    const quoted = JSON.stringify(value);
    if (type.minLength !== undefined && value.length < type.minLength) {
      this.report('wrong-type', at, path, `${quoted} is shorter than ${type.minLength} characters`);
    }
    if (type.maxLength !== undefined && value.length > type.maxLength) {
      this.report('wrong-type', at, path, `${quoted} is longer than ${type.maxLength} characters`);
    }
    if (type.pattern !== undefined && !new RegExp(type.pattern).test(value)) {
      this.report('wrong-type', at, path, `${quoted} does not match ${type.pattern}`);
    }
  }

  private checkObject(
    value: Value,
    properties: Record<string, PropertyType>,
    additional: { $ref: string } | undefined,
    path: string,
    at: Node,
    top: boolean,
  ): void {
    if (!isObjectValue(value))
      return this.report('wrong-type', at, path, `expected an object, got ${describe(value)}`);
    const origin = originOf(value);
    const lowerCaseNames = new Map(Object.keys(properties).map((name) => [name.toLowerCase(), name]));

    for (const [key, item] of Object.entries(value)) {
      const keyAt = origin?.keys.get(key) ?? at;
      const keyPath = path ? `${path}.${key}` : key;
      if (top && bicepKeywords.has(key)) continue;
      const property = properties[key] ?? properties[lowerCaseNames.get(key.toLowerCase()) ?? ''];
      if (!property) {
        if (additional) this.check(item, this.file.resolve(additional), keyPath, keyAt);
        else this.report('unknown-property', keyAt, keyPath, `unknown property '${key}'`);
        continue;
      }
      if (property.flags & PropertyFlags.ReadOnly && !(property.flags & PropertyFlags.Required)) {
        this.report('read-only', keyAt, keyPath, `'${key}' is read-only`);
        continue;
      }
      this.check(item, this.file.resolve(property.type), keyPath, keyAt);
    }

    for (const [name, property] of Object.entries(properties)) {
      if (!(property.flags & PropertyFlags.Required) || name in value) continue;
      this.report('missing-required', origin?.node ?? at, path, `missing required property '${name}'`);
    }
  }

  private checkDiscriminated(
    value: Value,
    type: Extract<TypeEntry, { $type: 'DiscriminatedObjectType' }>,
    path: string,
    at: Node,
    top: boolean,
  ): void {
    if (!isObjectValue(value))
      return this.report('wrong-type', at, path, `expected an object, got ${describe(value)}`);
    const tag = value[type.discriminator];
    if (typeof tag !== 'string') return;
    const element = type.elements[tag];
    if (!element) {
      const keyAt = originOf(value)?.keys.get(type.discriminator) ?? at;
      const allowed = Object.keys(type.elements).join(', ');
      return this.report(
        'wrong-type',
        keyAt,
        path,
        `'${type.discriminator}' ${JSON.stringify(tag)} is not one of ${allowed}`,
      );
    }
    const elementType = this.file.resolve(element);
    const own = elementType.$type === 'ObjectType' ? (elementType.properties ?? {}) : {};
    this.checkObject(value, { ...type.baseProperties, ...own }, undefined, path, at, top);
  }

  private checkUnion(value: Value, options: TypeEntry[], path: string, at: Node): void {
    if (options.some((option) => option.$type === 'AnyType')) return;
    const attempts = options.map((option) => {
      const trial = new BodyChecker(this.template, this.file, this.resourceName);
      trial.check(value, option, path, at);
      return trial.problems;
    });
    if (attempts.some((problems) => problems.length === 0)) return;

    const literals = options.flatMap((option) =>
      option.$type === 'StringLiteralType' ? [option.value] : [],
    );
    if (typeof value === 'string' && literals.length === options.length) {
      if (literals.some((literal) => literal.toLowerCase() === value.toLowerCase())) return;
      return this.report(
        'wrong-type',
        at,
        path,
        `${JSON.stringify(value)} is not one of ${literals.join(', ')}`,
      );
    }
    const best = attempts.reduce((a, b) => (b.length < a.length ? b : a));
    this.problems.push(...best);
  }
}

function describe(value: Value): string {
  if (Array.isArray(value)) return 'an array';
  if (isObjectValue(value)) return 'an object';
  return JSON.stringify(value);
}

/** Checks one resource declaration; `checked: false` when the data has nothing on its provider. */
export function checkResource(
  template: BicepTemplate,
  resource: ResourceDeclaration,
  index: BicepTypeIndex,
): ResourceCheck {
  const problems: TypeProblem[] = [];
  const at = template.where(resource.node);
  const apiVersion = resource.apiVersion ?? '';
  const info = index.lookup(resource.type, apiVersion);

  if (!info) {
    const known = index.apiVersionsOf(resource.type);
    if (known.length > 0) {
      const message = `${resource.symbol}: unknown API version '${apiVersion}' of ${resource.type} (type data has ${known.join(', ')})`;
      problems.push({ ...at, kind: 'unknown-api-version', message });
      return { resource, checked: true, problems };
    }
    if (index.coversProvider(resource.type)) {
      const message = `${resource.symbol}: unknown resource type ${resource.type}`;
      problems.push({ ...at, kind: 'unknown-resource-type', message });
      return { resource, checked: true, problems };
    }
    return { resource, checked: false, problems };
  }
  if (!resource.body) return { resource, checked: true, problems };

  const checker = new BodyChecker(template, info.file, resource.symbol);
  const body = template.evaluate(resource.body);
  if (resource.existing) {
    // An existing resource names what to look up; only its top-level keys are checkable.
    if (isObjectValue(body) && info.body.$type === 'ObjectType') {
      for (const key of Object.keys(body)) {
        if (bicepKeywords.has(key) || key in (info.body.properties ?? {})) continue;
        checker.report(
          'unknown-property',
          originOf(body)?.keys.get(key) ?? resource.body,
          key,
          `unknown property '${key}'`,
        );
      }
    }
  } else {
    checker.check(body, info.body, '', resource.body, { top: true });
  }
  return { resource, checked: true, problems: checker.problems };
}

/** Checks an evaluated value (e.g. a policy file) against one named object type of a resource. */
export function checkValueAgainst(
  template: BicepTemplate,
  index: BicepTypeIndex,
  resourceType: string,
  apiVersion: string,
  path: string[],
  value: Value,
  at: Node,
): TypeProblem[] {
  const info = index.lookup(resourceType, apiVersion);
  if (!info) throw new Error(`The type data has no ${resourceType}@${apiVersion}`);
  let type: TypeEntry = info.body;
  for (const segment of path) {
    if (type.$type === 'DiscriminatedObjectType') {
      const element = type.elements[segment];
      if (!element) throw new Error(`${resourceType} has no '${segment}' variant`);
      type = info.file.resolve(element);
      continue;
    }
    const property = type.$type === 'ObjectType' ? type.properties?.[segment] : undefined;
    if (!property) throw new Error(`${resourceType} has no property '${segment}'`);
    type = info.file.resolve(property.type);
  }
  const checker = new BodyChecker(template, info.file, `${resourceType} ${path.join('.')}`);
  checker.check(value, type, '', at);
  return checker.problems;
}

function isStringType(type: TypeEntry): boolean {
  return type.$type === 'StringType' || type.$type === 'StringLiteralType';
}
