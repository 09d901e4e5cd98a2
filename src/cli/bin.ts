// CLI: process entry point (bundled to dist/cli.cjs, which the launcher dist/cli.js runs; see launch.ts). The same
// bundle runs the file workers of a large check (project/file-work.ts).
import { isMainThread, workerData } from 'node:worker_threads';
import { processIo } from './io.ts';
import { main } from './main.ts';
import { isFileWorker, runFileWorker } from '../project/file-work.ts';

if (!isMainThread && isFileWorker(workerData)) runFileWorker(workerData);
else main(process.argv.slice(2), processIo()).then((code) => { process.exitCode = code; });
