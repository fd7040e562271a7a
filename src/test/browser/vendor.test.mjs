// The web UI's vendored libraries (META-INF/resources/js/vendor) are the ES module builds of the npm
// packages pinned here, byte for byte but for the one bare import made relative, with their
// licences, at the versions its README names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const vendor = process.env.UI_VENDOR_DIR;
const vendored = (file) => readFileSync(path.join(vendor, file), 'utf8');
const packaged = (name, file) => readFileSync(path.join('node_modules', name, file), 'utf8');
const version = (name) => JSON.parse(packaged(name, 'package.json')).version;

const LIBRARIES = [
  { name: 'oidc-client-ts', file: 'oidc-client-ts.js', build: 'dist/esm/oidc-client-ts.js' },
  { name: 'jwt-decode', file: 'jwt-decode.js', build: 'build/esm/index.js' },
];

for (const { name, file, build } of LIBRARIES) {
  test(`${file} is ${name}'s ES module build, with its licence, at the version the README names`, () => {
    const expected = packaged(name, build).replace('from "jwt-decode";', 'from "./jwt-decode.js";');
    assert.equal(vendored(file), expected);
    assert.equal(vendored(`${name}.LICENSE`), packaged(name, 'LICENSE'));
    assert.match(vendored('README.md'), new RegExp(`\\| \`${file}\` \\| \\[${name}\\][^|]*\\| ${version(name).replaceAll('.', '\\.')} \\|`));
  });
}

test('the vendored code imports nothing but its own files', () => {
  for (const { file } of LIBRARIES) {
    const imports = [...vendored(file).matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]);
    assert.ok(imports.every((target) => target.startsWith('./')), `${file} imports ${imports}`);
  }
});
