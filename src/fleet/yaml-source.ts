import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type Pair } from 'yaml';
import { redact } from '../core/redact.js';
import type { Diagnostic, DiagnosticCode } from './diagnostic.js';

/** A path into the parsed data: map keys and sequence indices. */
export type DataPath = readonly (string | number)[];

export interface Position {
  readonly line: number;
  readonly col: number;
}

/**
 * A parsed fleet file that can answer "where is this?" for any data path, so
 * every later check can point at the exact node at fault.
 */
export interface YamlSource {
  readonly file: string;
  readonly data: unknown;
  /** Syntax-level problems; when non-empty (beyond duplicate keys), `data` is not trustworthy. */
  readonly diagnostics: readonly Diagnostic[];
  /** Position of the key of `path` (or the closest existing ancestor). */
  keyPosition(path: DataPath): Position;
  /** Position of the value at `path` (or the closest existing ancestor). */
  valuePosition(path: DataPath): Position;
  at(path: DataPath, code: DiagnosticCode, message: string, where?: 'key' | 'value'): Diagnostic;
}

const YAML_CODES: Record<string, DiagnosticCode> = { DUPLICATE_KEY: 'duplicate-key' };

// yaml's own wording for these is terse; people hitting them need the fix spelled out.
const YAML_MESSAGES: Record<string, string> = {
  TAB_AS_INDENT: 'tab character used for indentation; YAML indents with spaces only',
  DUPLICATE_KEY: 'duplicate key; each key may appear only once in a mapping',
  MISSING_CHAR: 'unclosed quote or bracket',
  BAD_INDENT: 'bad indentation; align keys of the same mapping in the same column',
};

interface Step {
  readonly pair?: Pair;
  readonly node: Node | null;
}

export function parseYamlSource(text: string, file: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: true, strict: true });
  const pos = (offset: number): Position => {
    const p = lineCounter.linePos(Math.max(0, Math.min(offset, text.length)));
    return { line: p.line, col: p.col };
  };

  const diagnostics: Diagnostic[] = doc.errors.map((err) => {
    const where = pos(errorOffset(text, err.code, err.pos[0]));
    const code = YAML_CODES[err.code] ?? 'yaml-syntax';
    const fallback = err.message.split(/ at line \d+/)[0]!.split('\n')[0]!;
    return { file, line: where.line, col: where.col, code, message: YAML_MESSAGES[err.code] ?? fallback };
  });

  const walk = (path: DataPath): Step[] => {
    const steps: Step[] = [{ node: doc.contents as Node | null }];
    let node = doc.contents as Node | null;
    for (const seg of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : p.key) === String(seg)) as Pair | undefined;
        if (!pair) break;
        node = pair.value as Node | null;
        steps.push({ pair, node });
      } else if (isSeq(node) && typeof seg === 'number') {
        const item = node.items[seg] as Node | undefined;
        if (item === undefined) break;
        node = item;
        steps.push({ node });
      } else break;
    }
    return steps;
  };

  const rangeStart = (step: Step, prefer: 'key' | 'value'): Position => {
    const keyNode = step.pair?.key as Node | undefined;
    if (prefer === 'key' && keyNode?.range) return pos(keyNode.range[0]);
    if (step.node?.range) return pos(step.node.range[0]);
    if (keyNode?.range) return pos(keyNode.range[0]);
    return { line: 1, col: 1 };
  };

  const locate = (path: DataPath, prefer: 'key' | 'value'): Position => {
    const steps = walk(path);
    const exact = steps.length === path.length + 1;
    // A missing node is reported at its closest ancestor's key: that is where the user must add it.
    return rangeStart(steps[steps.length - 1]!, exact ? prefer : 'key');
  };

  return {
    file,
    data: toData(doc, diagnostics, file),
    diagnostics,
    keyPosition: (path) => locate(path, 'key'),
    valuePosition: (path) => locate(path, 'value'),
    at(path, code, message, where = 'value') {
      const p = locate(path, where);
      return { file, line: p.line, col: p.col, code, message: safeMessage(message) };
    },
  };
}

function toData(doc: Document, diagnostics: Diagnostic[], file: string): unknown {
  if (doc.contents === null) return null;
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    // Alias bombs and similar: refuse the document rather than expand it.
    diagnostics.push({ file, line: 1, col: 1, code: 'yaml-syntax', message: `cannot read the document: ${(err as Error).message}` });
    return null;
  }
}

/** yaml reports some errors where it noticed them; point at where the user must look instead. */
function errorOffset(text: string, code: string, offset: number): number {
  if (code === 'MISSING_CHAR') {
    // An unclosed quote is noticed at the end of the document; its opening quote is the fault.
    for (let i = Math.min(offset, text.length - 1); i >= 0; i--) {
      const c = text[i];
      if ((c === '"' || c === "'") && (i === 0 || /[\s:,[{-]/.test(text[i - 1]!))) return i;
    }
  }
  if (code === 'BAD_INDENT' || code === 'TAB_AS_INDENT') {
    // Point at the misplaced key, not at the start of its line.
    let i = offset;
    while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
    return code === 'TAB_AS_INDENT' ? offset : i;
  }
  return offset;
}

/** One line, and nothing shaped like a token: messages quote user input. */
function safeMessage(message: string): string {
  return redact(message).replace(/[\u0000-\u001f]/g, (c) => JSON.stringify(c).slice(1, -1));
}
