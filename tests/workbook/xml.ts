/**
 * A minimal XML reader for the manifest test (no XML library is installed): elements, attributes,
 * text, comments, the XML declaration and entity references — enough for an Office manifest, and
 * strict about nesting so a malformed manifest fails.
 */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decode(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (m, e: string) => {
    if (e[0] === "#") return String.fromCodePoint(e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    const v = ENTITIES[e];
    if (v === undefined) throw new Error(`unknown entity ${m}`);
    return v;
  });
}

export function parseXml(xml: string): XmlElement {
  let i = 0;
  const root: XmlElement = { name: "#document", attrs: {}, children: [], text: "" };
  const stack: XmlElement[] = [root];
  while (i < xml.length) {
    if (xml.startsWith("<!--", i)) {
      const end = xml.indexOf("-->", i);
      if (end < 0) throw new Error("unterminated comment");
      i = end + 3;
    } else if (xml.startsWith("<?", i)) {
      const end = xml.indexOf("?>", i);
      if (end < 0) throw new Error("unterminated declaration");
      i = end + 2;
    } else if (xml.startsWith("</", i)) {
      const end = xml.indexOf(">", i);
      const name = xml.slice(i + 2, end).trim();
      const top = stack.pop()!;
      if (top.name !== name) throw new Error(`</${name}> closes <${top.name}>`);
      i = end + 1;
    } else if (xml[i] === "<") {
      const m = /^<([A-Za-z_][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/.exec(xml.slice(i));
      if (!m) throw new Error(`bad tag at ${i}: ${xml.slice(i, i + 40)}`);
      const attrs: Record<string, string> = {};
      for (const a of m[2]!.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
        if (a[1]! in attrs) throw new Error(`duplicate attribute ${a[1]}`);
        attrs[a[1]!] = decode(a[2] ?? a[3] ?? "");
      }
      const el: XmlElement = { name: m[1]!, attrs, children: [], text: "" };
      stack.at(-1)!.children.push(el);
      if (!m[3]) stack.push(el);
      i += m[0].length;
    } else {
      const end = xml.indexOf("<", i);
      const text = xml.slice(i, end < 0 ? xml.length : end);
      stack.at(-1)!.text += decode(text).trim();
      i = end < 0 ? xml.length : end;
    }
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack.at(-1)!.name}>`);
  if (root.children.length !== 1) throw new Error("one root element expected");
  return root.children[0]!;
}

export function child(el: XmlElement, name: string, attr?: [string, string]): XmlElement | undefined {
  return el.children.find((c) => c.name === name && (!attr || c.attrs[attr[0]] === attr[1]));
}

/** Follow a path of element names (first match at each step); throws when missing. */
export function at(el: XmlElement, ...path: Array<string | [string, string, string]>): XmlElement {
  let cur = el;
  for (const p of path) {
    const next = typeof p === "string" ? child(cur, p) : child(cur, p[0], [p[1], p[2]]);
    if (!next) throw new Error(`missing <${typeof p === "string" ? p : p[0]}> under <${cur.name}>`);
    cur = next;
  }
  return cur;
}

export function* walk(el: XmlElement): Generator<XmlElement> {
  yield el;
  for (const c of el.children) yield* walk(c);
}
