// Small queries over parsed templates that the contract tests share.
import type { Node } from 'web-tree-sitter';
import { isObjectValue, type BicepTemplate, type ObjectValue, type Value } from './bicep-template.js';

export function moduleNamed(
  template: BicepTemplate,
  symbol: string,
): { path: string; params: Map<string, Node> } {
  const declaration = template.modules.find((candidate) => candidate.symbol === symbol);
  if (!declaration?.body) throw new Error(`${template.file} declares no module '${symbol}'`);
  const params = template.properties(declaration.body).get('params');
  return { path: declaration.path, params: params ? template.properties(params) : new Map<string, Node>() };
}

/** A module parameter, evaluated with unknown expressions shown as `${expression}`. */
export function moduleParam(template: BicepTemplate, symbol: string, param: string): Value {
  const node = moduleNamed(template, symbol).params.get(param);
  if (!node) throw new Error(`module '${symbol}' in ${template.file} sets no parameter '${param}'`);
  return template.evaluateSymbolic(node);
}

export function resourceBody(template: BicepTemplate, symbol: string): ObjectValue {
  const declaration = template.resources.find((candidate) => candidate.symbol === symbol);
  const body = declaration ? template.evaluateSymbolic(declaration.body) : undefined;
  if (!isObjectValue(body))
    throw new Error(`${template.file} has no resource '${symbol}' with an object body`);
  return body;
}

/** Follows a dotted path through evaluated objects. */
export function at(value: unknown, path: string): Value | undefined {
  let current = value as Value | undefined;
  for (const segment of path.split('.')) {
    current = isObjectValue(current) ? current[segment] : undefined;
  }
  return current;
}

export function asObject(value: Value | undefined, what: string): ObjectValue {
  if (!isObjectValue(value)) throw new Error(`${what} is not a known object: ${JSON.stringify(value)}`);
  return value;
}
