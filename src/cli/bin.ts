// CLI: process entry point (bundled to dist/cli.cjs, which the launcher dist/cli.js runs; see launch.ts). The same
// bundle runs the file workers of a large check (project/file-work.ts).
import { processIo } from './io.ts';
import { main } from './main.ts';
import { fileWorkerInput, runFileWorker } from '../project/file-work.ts';

const work = fileWorkerInput(process.argv);
if (work) runFileWorker(work);
else main(process.argv.slice(2), processIo()).then((code) => { process.exitCode = code; });
