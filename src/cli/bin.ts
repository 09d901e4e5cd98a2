// CLI: process entry point (bundled to dist/cli.cjs, which the launcher dist/cli.js runs; see launch.ts).
import { processIo } from './io.ts';
import { main } from './main.ts';

main(process.argv.slice(2), processIo()).then((code) => { process.exitCode = code; });
