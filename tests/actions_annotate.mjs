// Writes GitHub Actions annotations with @actions/core (GitHub's own toolkit), for
// tests/test_diagnostics.py. argv[2]: the node_modules folder; stdin: a JSON array of
// [kind ("error" or "warning"), message, {title, file, startLine, startColumn}];
// stdout: the workflow commands the toolkit writes, one line each.
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {pathToFileURL} from "node:url";

const core = await import(pathToFileURL(join(process.argv[2], "@actions", "core", "lib",
                                             "core.js")).href);
for (const [kind, message, properties] of JSON.parse(readFileSync(0, "utf8"))) {
  core[kind](message, properties);
}
