/**
 * The manifests against the rules Office applies (docs/platform.md §1, §5).
 * `office-addin-manifest validate` needs Microsoft's online
 * service and no XSD is public, so:
 * - every manifest is read by a conforming XML 1.0 parser (saxes, with namespaces): a comment
 *   holding `--`, an unescaped `&`, a mismatched tag fail here as they fail in Office;
 * - the structure is checked against the documented one (manifest-rules.ts): element order, required
 *   elements, one resid for the shared runtime's page everywhere, resid/id ≤ 32 characters,
 *   https URLs on the environment's host, icon sizes, the zh-CN metadata override.
 * `checkManifest` is also run on the built and production manifests by built-addin.test.ts.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEV_HOST, manifestVersion, productionManifest, rehostManifest, ROOT } from "../../scripts/build-addin.js";
import { parseXml, safeXmlComments } from "../../scripts/xml.js";
import { at, checkManifest, child } from "./manifest-rules.js";

const xml = readFileSync(join(ROOT, "manifest.xml"), "utf8");
const version = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;

describe("the XML parser the manifest tests use is conforming", () => {
  it("rejects what XML 1.0 forbids", () => {
    const bad = [
      "<a><!-- npm run build -- --host x --></a>", // "--" inside a comment
      "<a><!-- ends in a hyphen ---></a>", // a comment ending in "-"
      "<a>R&D</a>", // unescaped &
      '<a href="x?a=1&b=2"/>', // unescaped & in an attribute
      "<a>1 < 2</a>", // unescaped <
      "<a><b></a></b>", // mismatched tags
      '<a x="1" x="2"/>', // duplicate attribute
      "<a>", // unclosed
      "<a/><b/>", // two roots
      "<bt:Image/>", // unbound namespace prefix
      "<a>&nbsp;</a>", // undefined entity
    ];
    for (const b of bad) expect(() => parseXml(b), b).toThrow(/not well-formed/);
  });

  it("accepts what XML 1.0 allows, entities resolved", () => {
    const el = parseXml('<?xml version="1.0"?><!-- one - hyphen is fine --><a x="R&amp;D &#x4e2d;">1 &lt; 2<![CDATA[ & ]]></a>');
    expect(el.attrs.x).toBe("R&D 中");
    expect(el.text).toBe("1 < 2 &");
  });
});

describe("generated comments never hold --", () => {
  it("safeXmlComments rewrites every -- and a trailing -", () => {
    const fixed = safeXmlComments("<a><!-- npm run build -- --host ---><b/><!----></a>");
    expect(() => parseXml(fixed)).not.toThrow();
    expect(fixed).toBe("<a><!-- npm run build - - - -host - --><b/><!----></a>");
    for (const body of ["-", "--", "---", "a--b", "--x--", "- -", "x-"]) {
      const doc = safeXmlComments(`<a><!--${body}--></a>`);
      expect(() => parseXml(doc), body).not.toThrow();
    }
  });

  it("a host with -- (a Chinese domain in punycode) inside a comment still gives a well-formed manifest", () => {
    // The committed comment does not name the dev host; a manifest whose comment does is the case
    // a plain search-and-replace breaks: 大客户.cn → xn--….cn.
    const withHostInComment = xml.replace("<OfficeApp ", `<!-- dev URLs: ${DEV_HOST} --><OfficeApp `);
    const prod = productionManifest(withHostInComment, "https://大客户.cn", version);
    expect(prod).toMatch(/https:\/\/xn--[a-z0-9-]+\.cn\/index\.html/);
    const root = parseXml(prod);
    checkManifest(root, new URL("https://大客户.cn").origin, version);
  });

  it("the host must be an https origin: no path, query, fragment or credentials", () => {
    expect(() => productionManifest(xml, "https://cdn.example.cn/kam&co/", version)).toThrow(/origin/);
    expect(() => productionManifest(xml, "https://kam.example.cn/?a=1&b=2", version)).toThrow(/origin/);
    expect(() => productionManifest(xml, "https://kam.example.cn/#x", version)).toThrow(/origin/);
    expect(() => productionManifest(xml, "https://u:p@kam.example.cn", version)).toThrow(/origin/);
    expect(() => productionManifest(xml, "http://kam.example.cn", version)).toThrow(/https/);
    expect(() => productionManifest(xml, "not a url", version)).toThrow(/https/);
    // a port is part of an origin
    checkManifest(parseXml(productionManifest(xml, "https://kam.example.cn:8443", version)), "https://kam.example.cn:8443", version);
  });
});

describe("manifest.xml", () => {
  it("is well-formed XML (its comment holds no --)", () => {
    expect(() => parseXml(xml)).not.toThrow();
    for (const m of xml.matchAll(/<!--([\s\S]*?)-->/g)) expect(m[1]).not.toContain("--");
  });

  it("has the shared-runtime structure with dev URLs on https://localhost:3000", () => {
    checkManifest(parseXml(xml), DEV_HOST, version);
  });

  it("the dev manifest rehosted on another port (npm start with KAM_ADDIN_PORT) keeps the structure", () => {
    checkManifest(parseXml(rehostManifest(xml, "https://localhost:3443")), "https://localhost:3443", version);
  });

  it("the production manifest has the same structure with every URL on the given host", () => {
    const prod = productionManifest(xml, "https://kam.example.cn/", version);
    expect(prod).not.toContain(DEV_HOST);
    checkManifest(parseXml(prod), "https://kam.example.cn", version);
  });

  it("with a client id, the production manifest declares WebApplicationInfo for Office SSO", () => {
    const id = "0f1e2d3c-4b5a-6978-8a9b-acbdcedf0102";
    const prod = productionManifest(xml, "https://kam.example.cn", version, id);
    const root = parseXml(prod);
    checkManifest(root, "https://kam.example.cn", version);
    const vo = at(root, "VersionOverrides");
    // Microsoft's SSO docs: WebApplicationInfo is the last child of VersionOverrides.
    const last = vo.children.at(-1)!;
    expect(last.local).toBe("WebApplicationInfo");
    expect(at(last, "Id").text).toBe(id);
    expect(at(last, "Resource").text).toBe(`api://kam.example.cn/${id}`);
    expect(at(last, "Scopes").children.map((s) => s.text)).toEqual(["openid", "profile"]);
    expect(child(at(parseXml(productionManifest(xml, "https://kam.example.cn", version)), "VersionOverrides"), "WebApplicationInfo")).toBeUndefined();
    expect(() => productionManifest(xml, "https://kam.example.cn", version, "not-a-guid")).toThrow(/GUID/);
  });

  it("the release version goes into <Version> (four parts) and every ?v=", () => {
    const prod = parseXml(productionManifest(xml, "https://kam.example.cn", "2.3.4"));
    expect(at(prod, "Version").text).toBe(manifestVersion("2.3.4"));
    checkManifest(prod, "https://kam.example.cn", "2.3.4");
  });
});

describe("the structure checks catch what Office rejects", () => {
  const broken: Array<[string, (s: string) => string, RegExp]> = [
    ["CustomFunctions before Runtimes", (s) => s.replace(/(<Runtimes>[\s\S]*?<\/Runtimes>)(\s*)(<AllFormFactors>[\s\S]*?<\/AllFormFactors>)/, "$3$2$1"), /Runtimes/],
    ["Metadata before Page", (s) => s.replace(/(<Page>[\s\S]*?<\/Page>)(\s*)(<Metadata>[\s\S]*?<\/Metadata>)/, "$3$2$1"), /Script, Page, Metadata, Namespace/],
    ["FunctionFile on another resid", (s) => s.replace('<FunctionFile resid="Taskpane.Url"', '<FunctionFile resid="Functions.Script.Url"'), /FunctionFile/],
    ["a resid over 32 characters", (s) => s.replaceAll("KamGroup.Label", "KamGroup.Label.ThatIsFarTooLongForOffice"), /32/],
    ["an http URL", (s) => s.replace('DefaultValue="https://localhost:3000/assets/icon-16.png"', 'DefaultValue="http://localhost:3000/assets/icon-16.png"'), /https/],
    ["no 80 px ribbon icon", (s) => s.replaceAll(/\s*<bt:Image size="80" resid="Icon.80x80" \/>/g, "").replace(/\s*<bt:Image id="Icon.80x80"[^>]*\/>/, ""), /16, 32, 80/],
    ["IconUrl of the wrong size", (s) => s.replace("<IconUrl DefaultValue=\"https://localhost:3000/assets/icon-32.png\"", "<IconUrl DefaultValue=\"https://localhost:3000/assets/icon-80.png\""), /IconUrl/],
    ["no zh-CN metadata", (s) => s.replace(/\s*<bt:Override Locale="zh-CN" Value="https:\/\/localhost:3000\/functions-zh-cn.json[^"]*" \/>/, ""), /zh-CN/],
    ["no SharedRuntime requirement", (s) => s.replace('<Set Name="SharedRuntime" MinVersion="1.1" />', ""), /SharedRuntime/],
  ];
  for (const [what, edit, message] of broken) {
    it(what, () => {
      const changed = edit(xml);
      expect(changed, "the edit applies").not.toBe(xml);
      expect(() => checkManifest(parseXml(changed), DEV_HOST, version)).toThrow(message);
    });
  }
});
