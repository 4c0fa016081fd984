// The messy-workbooks corpus for tests: the books with their expectations, the builder, and the reader.
export * from "./make.js";
export * from "./read.js";
