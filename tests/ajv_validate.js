// Validates JSON values with ajv (JSON Schema 2020-12, strict mode), for tests/test_schema.py.
// stdin: {"schema": <a schema>, "instances": [...]}; stdout: [true, false, ...], one
// verdict per instance. A schema that strict mode refuses exits 2 with ajv's message.
"use strict";
const path = require("path");
const Ajv2020 = require(path.resolve(process.argv[2], "ajv", "dist", "2020")).default;

const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
let validate;
try {
  validate = new Ajv2020({strict: true, allErrors: false}).compile(input.schema);
} catch (error) {
  process.stderr.write(`${error.message}\n`);
  process.exit(2);
}
process.stdout.write(JSON.stringify(input.instances.map((value) => validate(value))));
