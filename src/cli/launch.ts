// CLI: the launcher (bundled to dist/cli.js). Sets V8's heap flags, then runs the CLI bundle (dist/cli.cjs) through
// its code cache (core/code-cache.ts). Flags come first: V8 accepts a code cache only under the flags it was made with,
// and the build's training runs go through this same file.
import { setFlagsFromString } from 'node:v8';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { heapFlags, loadCommonJs, writeCodeCachesAtExit } from '../core/code-cache.ts';

for (const flag of heapFlags(process.env.NODE_OPTIONS, process.execArgv)) setFlagsFromString(flag);
writeCodeCachesAtExit(process.env);
loadCommonJs(join(dirname(fileURLToPath(import.meta.url)), 'cli.cjs'));
