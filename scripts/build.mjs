#!/usr/bin/env node
// Build: precompiles every schema to a standalone validator and bundles the CLI into dist/ (run by npm's prepare).
//
// dist/cli.js              the launcher: sets V8's heap flags and runs cli.cjs through its code cache
// dist/cli.cjs             the CLI, one CommonJS bundle (esbuild), with __TFY_BUNDLE__ set so it loads validators below
// dist/**/*.cjs.v8         V8 code caches, written by training runs of the built CLI (src/core/code-cache.ts)
// dist/validators/*.cjs    one standalone ajv validator per schema, loaded on first use of its type
// dist/validators/index.json  schema file -> validator module
// dist/vendor/yaml.cjs     the yaml engine, loaded by the CLI on first use
// dist/action/index.js     the GitHub Action, one self-contained ESM bundle (committed: the runner installs nothing)
//
// `--no-action` (npm's prepare) leaves the committed Action bundle as it is, so a test can compare it with a fresh
// build; `--action-only` builds just that bundle (with TFY_LINT_DIST=DIR, into DIR/action/index.js).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { build } from 'esbuild';

const require = createRequire(import.meta.url);
const Ajv = require('ajv').default;
const standaloneCode = require('ajv/dist/standalone').default;

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = process.env.TFY_LINT_DIST ? resolve(process.cwd(), process.env.TFY_LINT_DIST) : join(root, 'dist');
const withAction = !process.argv.includes('--no-action');
const onlyAction = process.argv.includes('--action-only');
const schemaDir = join(root, 'schemas');
// Must equal AJV_OPTIONS in src/validate/schemas.ts (a test compares the two).
export const AJV_OPTIONS = { strict: true, allErrors: true, verbose: true, allowUnionTypes: true };

const started = Date.now();
if (onlyAction) {
  await buildAction();
  process.exit(0);
}
const catalog = JSON.parse(readFileSync(join(schemaDir, 'catalog.json'), 'utf8'));
const files = ['common.schema.json', ...Object.values(catalog.types).map((t) => t.file), 'tfy-lint.config.schema.json', 'tfy-lint.policy.schema.json'];
// Same rewrite as linearErrorMerge in src/validate/schemas.ts: append a sub-validator's errors in place instead of
// copying the whole list per failing item (quadratic in the number of findings).
const linearErrorMerge = (code) => code.replace(/vErrors = vErrors === null \? (\w+)\.errors : vErrors\.concat\(\1\.errors\);/g,
  'if (vErrors === null) vErrors = $1.errors; else for (const e of $1.errors) vErrors.push(e);');
const ajv = new Ajv({ ...AJV_OPTIONS, code: { source: true, esm: false } });
const schemas = new Map(files.map((f) => [f, JSON.parse(readFileSync(join(schemaDir, f), 'utf8'))]));
for (const s of schemas.values()) ajv.addSchema(s);

for (const f of ['cli.js', 'cli.cjs', 'cli.cjs.v8']) rmSync(join(out, f), { force: true });
rmSync(join(out, 'validators'), { recursive: true, force: true });
const gen = join(out, '.gen');
mkdirSync(gen, { recursive: true });
const index = {};
const entryPoints = {};
files.filter((f) => f !== 'common.schema.json').forEach((f, i) => {
  const validate = ajv.getSchema(schemas.get(f).$id);
  const name = `v${String(i).padStart(3, '0')}`;
  // ajv's standalone code is built from the unprocessed source, so the rewrite is applied here too.
  writeFileSync(join(gen, `${name}.cjs`), linearErrorMerge(standaloneCode(ajv, validate)));
  index[f] = `${name}.cjs`;
  entryPoints[name] = join(gen, `${name}.cjs`);
});

await build({
  entryPoints, outdir: join(out, 'validators'), outExtension: { '.js': '.cjs' }, bundle: true, platform: 'node',
  format: 'cjs', target: 'node20', minify: true, logLevel: 'warning',
});
writeFileSync(join(out, 'validators', 'index.json'), `${JSON.stringify(index, null, 2)}\n`);
rmSync(gen, { recursive: true, force: true });

// The build's identity (what the results cache of check is keyed by, with the config): a hash of every source the
// bundle, its validators and the packs are made from.
const buildHash = createHash('sha256');
const hashTree = (dir) => {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) hashTree(p);
    else buildHash.update(`${p.slice(root.length)}\0`).update(readFileSync(p)).update('\0');
  }
};
for (const d of ['src', 'schemas', 'policies']) hashTree(join(root, d));
buildHash.update(readFileSync(join(root, 'package-lock.json')));

// The yaml engine is a third of the bundle, and a run often never needs it (files the fast reader takes, findings it
// places): it goes into its own file, loaded on first use through a module of lazy stand-ins for its exports.
await build({
  entryPoints: { yaml: require.resolve('yaml') }, outdir: join(out, 'vendor'), outExtension: { '.js': '.cjs' }, bundle: true,
  platform: 'node', format: 'cjs', target: 'node20', minifyWhitespace: true, minifySyntax: true, legalComments: 'none', logLevel: 'warning',
});
const yamlExports = Object.keys(require('yaml'));
const lazyYaml = {
  name: 'lazy-yaml',
  setup(b) {
    b.onResolve({ filter: /^\.\/vendor\/yaml\.cjs$/ }, (args) => ({ path: args.path, external: true }));
    b.onResolve({ filter: /^yaml$/ }, (args) => (args.importer.includes('node_modules') ? undefined : { path: 'lazy-yaml', namespace: 'lazy-yaml' }));
    b.onLoad({ filter: /.*/, namespace: 'lazy-yaml' }, () => ({
      loader: 'js',
      contents: [
        'let real;',
        "const load = () => (real ??= require('./vendor/yaml.cjs'));",
        // Each export stands for the real one: calls, `new`, statics (visit.BREAK) and instanceof go through to it.
        'const lazy = (name) => new Proxy(function () {}, {',
        '  apply: (_t, self, args) => Reflect.apply(load()[name], self, args),',
        '  construct: (_t, args) => Reflect.construct(load()[name], args),',
        '  get: (_t, p) => load()[name][p],',
        '  has: (_t, p) => p in load()[name],',
        '});',
        ...yamlExports.map((n) => `export const ${n} = lazy(${JSON.stringify(n)});`),
      ].join('\n'),
    }));
  },
};

// CommonJS, so that the launcher can compile it with a code cache (node:vm has no stable way to do that for ES modules).
await build({
  plugins: [lazyYaml],
  entryPoints: [join(root, 'src', 'cli', 'bin.ts')], outfile: join(out, 'cli.cjs'), bundle: true, platform: 'node',
  format: 'cjs', target: 'node20', minifyWhitespace: true, minifySyntax: true, legalComments: 'none', logLevel: 'warning',
  define: { __TFY_BUNDLE__: 'true', __TFY_BUILD_ID__: JSON.stringify(buildHash.digest('hex').slice(0, 16)), 'import.meta.url': '__tfyImportMetaUrl' },
  banner: { js: "const __tfyImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
});
await build({
  entryPoints: [join(root, 'src', 'cli', 'launch.ts')], outfile: join(out, 'cli.js'), bundle: true, platform: 'node',
  format: 'esm', target: 'node20', minifyWhitespace: true, minifySyntax: true, legalComments: 'none', logLevel: 'warning',
});
train();
if (withAction) await buildAction();
console.log(`tfy-lint built into ${out} (${files.length - 1} validators) in ${Date.now() - started} ms`);

/**
 * Code caches (src/core/code-cache.ts): the built CLI checks the bundled example, the check fixtures and a generated
 * project with a document of every manifest type, each run
 * writing V8's bytecode of what it ran beside cli.cjs and each validator it loaded (the largest cache of a file is
 * kept). A failed training run leaves the build without caches for what it would have covered, which costs time, not
 * correctness; its output is shown all the same.
 */
function train() {
  const checks = join(root, 'fixtures', 'check');
  const everyType = typesProject();
  const projects = [join(root, 'examples', 'acme-gateway'), join(root, 'fixtures', 'reports', 'mixed'),
    ...(existsSync(checks) ? readdirSync(checks).map((d) => join(checks, d)).filter((d) => statSync(d).isDirectory()) : []), everyType].filter((d) => existsSync(d));
  const formats = ['stylish', 'json', 'sarif', 'github'];
  try {
    projects.forEach((dir, i) => {
      const r = spawnSync(process.execPath, [join(out, 'cli.js'), 'check', '--no-cache', '--format', formats[i % formats.length]], {
        cwd: dir, env: { ...process.env, TFY_LINT_BUILD_CODE_CACHE: '1', NO_COLOR: '1' }, encoding: 'utf8',
      });
      if (r.status !== 0 && r.status !== 1) console.error(`code cache training on ${relative(root, dir)} exited ${r.status ?? r.signal}:\n${r.stderr}`);
    });
  } finally {
    rmSync(everyType, { recursive: true, force: true });
  }
}

/**
 * A project with a document of every manifest type, so that every type's validator gets a code cache: its type and
 * a name, and for each `integration/...` type its schema names, an integration of that type. Most are not valid (the
 * validators' error paths are trained too); nothing in them is read for anything but training.
 */
function typesProject() {
  const dir = join(out, '.training-types');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'tfy-lint.config.yaml'), 'ignore: []\n');
  Object.entries(catalog.types).forEach(([type, { file }], i) => {
    const integrationTypes = new Set();
    const walk = (v) => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') {
        const t = v.properties?.type?.const;
        if (typeof t === 'string' && t.startsWith('integration/')) integrationTypes.add(t);
        Object.values(v).forEach(walk);
      }
    };
    walk(schemas.get(file));
    const doc = { type, name: `training-${i}`, ...(integrationTypes.size ? { integrations: [...integrationTypes].map((t, j) => ({ type: t, name: `i${j}`, model_types: ['chat'] })) } : {}) };
    writeFileSync(join(dir, `t${String(i).padStart(3, '0')}.yaml`), `${JSON.stringify(doc)}\n`);
  });
  return dir;
}

/**
 * The Action's bundle: everything, ajv included, in one file that runs without node_modules. Schemas are compiled at
 * run time from schemas/ beside it (the runner checks out the whole repository). Deterministic: paths in the bundle are
 * relative to the repository root, so the committed file equals a fresh build.
 */
async function buildAction() {
  await build({
    entryPoints: [join(root, 'src', 'action', 'index.ts')], outfile: join(out, 'action', 'index.js'), bundle: true,
    platform: 'node', format: 'esm', target: 'node20', minify: false, legalComments: 'eof', logLevel: 'warning',
    absWorkingDir: root, charset: 'utf8',
    banner: { js: "import { createRequire as __tfyCreateRequire } from 'node:module'; const require = __tfyCreateRequire(import.meta.url);" },
  });
}
