// Fuzz worker: runs the cases the runner sends, one at a time, and answers with the problems each showed.
import { parentPort } from 'node:worker_threads';
import { runCase, type FuzzCase } from './target.ts';

parentPort?.on('message', (msg: { id: number; case: FuzzCase }) => {
  void runCase(msg.case).then((problems) => parentPort?.postMessage({ id: msg.id, problems }));
});
