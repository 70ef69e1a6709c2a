// Cuts GitHub's OpenAPI description (@octokit/openapi, ~13 MB) down to the operations Hoist calls, with every
// component they reference, so prism loads it in a second instead of a minute. The operations are GitHub's own,
// byte for byte: nothing is edited, only left out.
// Usage: node github-spec-cut.js IN.json OUT.json
'use strict';
const fs = require('fs');

// path -> methods: what steps/forge/github.cpp sends, plus the combined status the tests read back.
const used = {
  '/repos/{owner}/{repo}/pulls': ['get', 'post'],
  '/repos/{owner}/{repo}/pulls/{pull_number}': ['get', 'patch'],
  '/repos/{owner}/{repo}/pulls/{pull_number}/merge': ['put'],
  '/repos/{owner}/{repo}/statuses/{sha}': ['post'],
  '/repos/{owner}/{repo}/commits/{ref}/status': ['get'],
};

const [input, output] = process.argv.slice(2);
if (!input || !output) {
  console.error('usage: github-spec-cut.js IN.json OUT.json');
  process.exit(2);
}
const spec = JSON.parse(fs.readFileSync(input, 'utf8'));
const out = { ...spec, paths: {}, components: {} };
delete out.webhooks;
delete out['x-webhooks'];

const wanted = new Set();  // "#/components/kind/name"
function collect(node) {
  if (Array.isArray(node)) return node.forEach(collect);
  if (!node || typeof node !== 'object') return;
  for (const [k, v] of Object.entries(node)) {
    if (k === '$ref' && typeof v === 'string' && v.startsWith('#/components/') && !wanted.has(v)) {
      wanted.add(v);
      const [, , kind, name] = v.split('/');
      collect(spec.components[kind][name]);
    } else {
      collect(v);
    }
  }
}

for (const [path, methods] of Object.entries(used)) {
  const item = spec.paths[path];
  if (!item) throw new Error(`the description has no ${path}`);
  out.paths[path] = {};
  if (item.parameters) out.paths[path].parameters = item.parameters;
  for (const m of methods) {
    if (!item[m]) throw new Error(`the description has no ${m.toUpperCase()} ${path}`);
    out.paths[path][m] = item[m];
  }
  collect(out.paths[path]);
}
for (const ref of wanted) {
  const [, , kind, name] = ref.split('/');
  out.components[kind] = out.components[kind] || {};
  out.components[kind][name] = spec.components[kind][name];
}
fs.writeFileSync(output, JSON.stringify(out));
console.log(`${Object.keys(out.paths).length} paths, ${wanted.size} components`);
