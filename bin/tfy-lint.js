#!/usr/bin/env node
// tfy-lint command: runs the bundle that `npm run build` (also run by `npm install`/`npm ci`) writes to dist/.
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(bundle)) {
  process.stderr.write('tfy-lint: dist/cli.js is missing; run "npm run build" in the tfy-lint folder\n');
  process.exit(2);
}
await import(bundle.href);
