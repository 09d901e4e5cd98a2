#!/usr/bin/env node
// Bench floor: the least any YAML linter built on `yaml` must do. Globs the corpus, reads every file, parses it with
// positions (parseAllDocuments with a LineCounter) and converts each document to JS (toJS), nothing else; prints
// {files, documents, bytes} as JSON. Run by scripts/bench.mjs.
//
//   node scripts/bench-floor.mjs DIR
import { readFileSync } from 'node:fs';
import fg from 'fast-glob';
import { LineCounter, parseAllDocuments } from 'yaml';

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: node scripts/bench-floor.mjs DIR\n');
  process.exit(2);
}
const files = fg.sync('**/*.{yaml,yml}', { cwd: dir, absolute: true, onlyFiles: true });
let documents = 0;
let bytes = 0;
for (const file of files) {
  const buf = readFileSync(file);
  bytes += buf.length;
  const docs = parseAllDocuments(buf.toString('utf8'), { lineCounter: new LineCounter(), version: '1.1' });
  for (const doc of Array.isArray(docs) ? docs : []) {
    documents++;
    try { doc.toJS({ maxAliasCount: -1 }); } catch { /* a document yaml cannot convert: parsed all the same */ }
  }
}
process.stdout.write(`${JSON.stringify({ files: files.length, documents, bytes })}\n`);
