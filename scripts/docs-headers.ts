// Writes the README's table of recognised headers from the field catalogue (shared/src/catalogue).
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { withHeadersTable } from "../shared/src/catalogue/docs.js";

const readme = fileURLToPath(new URL("../README.md", import.meta.url));
const before = readFileSync(readme, "utf8");
const after = withHeadersTable(before);
if (after !== before) writeFileSync(readme, after);
console.log(after === before ? "README.md headers table is up to date" : "README.md headers table rewritten");
