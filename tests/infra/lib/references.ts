// Finds identifiers that name nothing: the typo class of errors the Bicep compiler reports as BCP057.
import type { Node } from 'web-tree-sitter';
import { formatPosition } from './bicep-parser.js';
import type { BicepTemplate } from './bicep-template.js';

const declarationTypes = new Set([
  'parameter_declaration',
  'variable_declaration',
  'resource_declaration',
  'module_declaration',
  'output_declaration',
  'type_declaration',
  'user_defined_function',
  'metadata_declaration',
]);

/** Namespaces that qualify built-in functions, e.g. `az.resourceGroup()`. */
const builtInNamespaces = new Set(['az', 'sys']);

function named(node: Node): Node[] {
  return node.namedChildren.filter((child): child is Node => child !== null);
}

function loopNames(forStatement: Node): string[] {
  const names: string[] = [];
  const initializer = forStatement.childForFieldName('initializer');
  if (initializer) names.push(initializer.text);
  for (const child of named(forStatement)) {
    if (child.type !== 'for_loop_parameters') continue;
    names.push(...named(child).map((parameter) => parameter.text));
  }
  return names;
}

function lambdaNames(lambda: Node): string[] {
  const parameters = named(lambda)[0];
  if (!parameters) return [];
  if (parameters.type === 'identifier') return [parameters.text];
  return named(parameters)
    .filter((child) => child.type === 'identifier')
    .map((child) => child.text);
}

/** `file:line:column: name` for each identifier with no declaration in scope. */
export function unresolvedReferences(template: BicepTemplate): string[] {
  const topLevel = new Set(
    named(template.parsed.root)
      .filter((node) => declarationTypes.has(node.type))
      .map((node) => named(node)[0]?.text ?? ''),
  );
  const problems: string[] = [];

  const visit = (node: Node, scope: ReadonlySet<string>): void => {
    switch (node.type) {
      case 'identifier':
        if (!scope.has(node.text) && !topLevel.has(node.text) && !builtInNamespaces.has(node.text)) {
          problems.push(`${formatPosition(template.where(node))}: ${node.text}`);
        }
        return;
      case 'type':
      case 'decorators':
        return;
      case 'call_expression': {
        const callee = node.childForFieldName('function');
        if (callee && callee.type !== 'identifier') visit(callee, scope);
        const args = node.childForFieldName('arguments');
        if (args) visit(args, scope);
        return;
      }
      case 'member_expression':
      case 'subscript_expression':
      case 'resource_expression': {
        const object = node.childForFieldName('object');
        if (object) visit(object, scope);
        const index = node.type === 'subscript_expression' ? node.childForFieldName('index') : null;
        if (index) visit(index, scope);
        return;
      }
      case 'object_property':
        for (const child of named(node).slice(
          node.namedChildren[0]?.type === 'resource_declaration' ? 0 : 1,
        )) {
          visit(child, scope);
        }
        return;
      case 'for_statement': {
        const inner = new Set([...scope, ...loopNames(node)]);
        for (const child of named(node)) {
          if (child === node.childForFieldName('initializer') || child.type === 'for_loop_parameters')
            continue;
          visit(child, inner);
        }
        return;
      }
      case 'lambda_expression': {
        const [, body] = named(node);
        if (body) visit(body, new Set([...scope, ...lambdaNames(node)]));
        return;
      }
      default:
        if (declarationTypes.has(node.type) || node.type === 'user_defined_function') {
          for (const child of named(node).slice(1)) visit(child, scope);
          return;
        }
        for (const child of named(node)) visit(child, scope);
    }
  };

  visit(template.parsed.root, new Set());
  return problems;
}
