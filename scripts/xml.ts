/**
 * XML for the add-in manifests, read with `saxes` (a conforming, non-validating XML 1.0 parser
 * with namespaces): any well-formedness error — a comment holding `--`, an unescaped `&` or `<`,
 * a mismatched tag, a duplicate attribute, an unbound prefix — throws, as it does in Office's own
 * parser, libxml2 or expat. The build checks every manifest it writes with it; the tests read
 * the manifests with it.
 */
import { SaxesParser } from "saxes";

export interface XmlElement {
  /** Qualified name as written (`bt:Image`). */
  name: string;
  /** Local name (`Image`). */
  local: string;
  /** Namespace URI the prefix (or default namespace) resolves to. */
  uri: string;
  /** Attributes by qualified name, values with entities resolved. */
  attrs: Record<string, string>;
  children: XmlElement[];
  /** Character data directly inside the element, trimmed. */
  text: string;
  /** 1-based line of the start tag (for messages). */
  line: number;
}

/** Parse a whole document; throws an Error listing every well-formedness error saxes reports. */
export function parseXml(xml: string): XmlElement {
  const parser = new SaxesParser({ xmlns: true, position: true });
  const errors: string[] = [];
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  parser.on("error", (e) => errors.push(e.message));
  parser.on("opentag", (tag) => {
    const attrs: Record<string, string> = {};
    for (const [name, a] of Object.entries(tag.attributes)) attrs[name] = typeof a === "string" ? a : a.value;
    const el: XmlElement = { name: tag.name, local: tag.local ?? tag.name, uri: tag.uri ?? "", attrs, children: [], text: "", line: parser.line };
    const parent = stack.at(-1);
    if (parent) parent.children.push(el);
    else root = el;
    if (!tag.isSelfClosing) stack.push(el);
  });
  parser.on("closetag", (tag) => {
    if (!tag.isSelfClosing) stack.pop();
  });
  const addText = (t: string) => {
    const top = stack.at(-1);
    if (top) top.text = (top.text + t).trim();
  };
  parser.on("text", addText);
  parser.on("cdata", addText);
  parser.write(xml).close();
  if (errors.length > 0) throw new Error(`not well-formed XML:\n${errors.join("\n")}`);
  if (!root) throw new Error("not well-formed XML: no root element");
  return root;
}

/**
 * Every comment made legal (XML: a comment may not hold `--` nor end in `-`): `--`
 * becomes `- -`. A generator that puts outside text (a host name such as the punycode
 * `xn--…` of a Chinese domain, a command line) into a manifest runs its output through this.
 */
export function safeXmlComments(xml: string): string {
  return xml.replace(/<!--([\s\S]*?)-->/g, (_m, body: string) => {
    let b = body;
    while (b.includes("--")) b = b.replaceAll("--", "- -");
    if (b.endsWith("-")) b += " ";
    return `<!--${b}-->`;
  });
}
