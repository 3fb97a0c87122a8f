// Parses Bicep with tree-sitter-bicep (WebAssembly build) and reports syntax errors by position.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Language, Parser, type Node } from 'web-tree-sitter';

export interface SourcePosition {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

export interface SyntaxProblem extends SourcePosition {
  message: string;
}

export interface ParsedBicep {
  file: string;
  source: string;
  root: Node;
  problems: SyntaxProblem[];
}

let parserPromise: Promise<Parser> | undefined;

function loadParser(): Promise<Parser> {
  parserPromise ??= (async () => {
    await Parser.init();
    const wasm = createRequire(import.meta.url).resolve('tree-sitter-bicep/tree-sitter-bicep.wasm');
    const parser = new Parser();
    parser.setLanguage(await Language.load(wasm));
    return parser;
  })();
  return parserPromise;
}

/**
 * The grammar predates the `extension` statement. Blanking the line keeps every other position
 * (and so every reported line and column) unchanged.
 */
function blankExtensionStatements(source: string): string {
  return source.replace(/^[ \t]*extension[ \t]+[^\r\n]*/gm, (line) => ' '.repeat(line.length));
}

/**
 * `.bicepparam` assigns parameters without a type (`param name = value`), which the grammar does not
 * know; `var name = value` has the same shape, and `var  ` is as long as `param`.
 */
function paramAssignmentsAsVariables(source: string): string {
  return source.replace(/^([ \t]*)param(?=[ \t])/gm, '$1var  ');
}

export function position(file: string, node: Node): SourcePosition {
  return { file, line: node.startPosition.row + 1, column: node.startPosition.column + 1 };
}

export function formatPosition(where: SourcePosition): string {
  return `${where.file}:${where.line}:${where.column}`;
}

function collectProblems(file: string, root: Node): SyntaxProblem[] {
  const problems: SyntaxProblem[] = [];
  const visit = (node: Node): void => {
    if (node.isMissing) {
      problems.push({ ...position(file, node), message: `missing ${node.type}` });
    } else if (node.isError) {
      const text = node.text.split(/\r?\n/)[0]?.slice(0, 60) ?? '';
      problems.push({ ...position(file, node), message: `unexpected ${JSON.stringify(text)}` });
    }
    if (!node.hasError) return;
    for (const child of node.children) if (child) visit(child);
  };
  visit(root);
  return problems;
}

export async function parseBicepSource(source: string, file: string): Promise<ParsedBicep> {
  const parser = await loadParser();
  const prepared = blankExtensionStatements(source);
  const tree = parser.parse(file.endsWith('.bicepparam') ? paramAssignmentsAsVariables(prepared) : prepared);
  if (!tree) throw new Error(`tree-sitter returned no tree for ${file}`);
  return { file, source, root: tree.rootNode, problems: collectProblems(file, tree.rootNode) };
}

export function parseBicepFile(path: string, displayName = path): Promise<ParsedBicep> {
  return parseBicepSource(readFileSync(path, 'utf8'), displayName);
}
