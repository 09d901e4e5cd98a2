// CLI: process entry point (bundled to dist/cli.js).
import { processIo } from './io.ts';
import { main } from './main.ts';

main(process.argv.slice(2), processIo()).then((code) => { process.exitCode = code; });
