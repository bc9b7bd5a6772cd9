import { Document, isMap, isScalar, isSeq, type Node } from 'yaml';

export type YamlPath = readonly (string | number)[];

/** A comment placed in the YAML: on its own line before a field, or at the end of a scalar's line. */
export interface YamlNote {
  path: YamlPath;
  text: string;
  placement: 'before' | 'inline';
}

function prefixed(text: string): string {
  return text
    .split('\n')
    .map((line) => ` ${line}`)
    .join('\n');
}

/** The node that carries a "before" comment: the key of a map entry, or the item of a list. */
function anchorOf(doc: Document, path: YamlPath): { commentBefore?: string | null } | null {
  const parentPath = path.slice(0, -1);
  const last = path[path.length - 1];
  const parent = parentPath.length ? doc.getIn(parentPath, true) : doc.contents;
  if (isMap(parent)) {
    const pair = parent.items.find((item) => isScalar(item.key) && item.key.value === last);
    return pair && isScalar(pair.key) ? pair.key : null;
  }
  if (isSeq(parent) && typeof last === 'number') {
    const item = parent.items[last];
    return item && typeof item === 'object' ? (item as Node) : null;
  }
  return null;
}

/** Renders one YAML document with its header comment and field notes. */
export function yamlWithNotes(
  value: unknown,
  header: readonly string[],
  notes: readonly YamlNote[],
): string {
  const doc = new Document(value);
  if (header.length) doc.commentBefore = prefixed(header.join('\n'));
  for (const note of notes) {
    if (note.placement === 'inline') {
      const node = doc.getIn(note.path, true);
      if (isScalar(node)) node.comment = prefixed(note.text);
      continue;
    }
    const anchor = anchorOf(doc, note.path);
    if (anchor)
      anchor.commentBefore = anchor.commentBefore
        ? `${anchor.commentBefore}\n${prefixed(note.text)}`
        : prefixed(note.text);
  }
  return doc.toString({ lineWidth: 0 });
}
