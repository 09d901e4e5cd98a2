// Fuzz runner: runs each case in a worker thread with a time budget; a case over budget is a hang, and the worker is
// replaced. The worker is the fuzz target bundled with esbuild (the test runner's TypeScript loader is not in workers).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { build } from 'esbuild';
import type { FuzzCase } from './target.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = join(HERE, '..', '..');
export const SEEDS = join(REPO, 'fixtures', 'fuzz', 'seeds');

/** How long one case may take before it counts as a hang (the machine may be shared and slow: generous). */
export const CASE_BUDGET_MS = Number(process.env.TFY_FUZZ_CASE_MS ?? 20_000);

let bundled: Promise<string> | undefined;

/** Bundles the worker under node_modules/.cache, inside the package, so that the schemas are found from it. */
function bundleWorker(): Promise<string> {
  bundled ??= (async () => {
    const out = join(REPO, 'node_modules', '.cache', 'tfy-lint-fuzz', `worker-${process.pid}.mjs`);
    await build({
      entryPoints: [join(HERE, 'worker.ts')], outfile: out, bundle: true, platform: 'node', format: 'esm', target: 'node20',
      logLevel: 'warning', external: ['esbuild'],
      banner: { js: "import { createRequire as __tfyCreateRequire } from 'node:module'; const require = __tfyCreateRequire(import.meta.url);" },
    });
    return out;
  })();
  return bundled;
}

export interface Outcome { problems: string[]; hung: boolean; ms: number }

export class FuzzRunner {
  private worker?: Worker;
  private nextId = 0;

  private async start(): Promise<Worker> {
    if (!this.worker) this.worker = new Worker(await bundleWorker());
    return this.worker;
  }

  /**
   * Runs one case; a case that takes longer than `budgetMs` is tried once more with three times the budget (the
   * machine may just be busy), and only then reported as a hang. A worker that ran over is stopped and replaced.
   */
  async run(c: FuzzCase, budgetMs = CASE_BUDGET_MS): Promise<Outcome> {
    const first = await this.once(c, budgetMs);
    return first.hung ? this.once(c, budgetMs * 3) : first;
  }

  private async once(c: FuzzCase, budgetMs: number): Promise<Outcome> {
    const worker = await this.start();
    const started = Date.now();
    const id = this.nextId++;
    return new Promise<Outcome>((resolve) => {
      const done = (o: Outcome) => { clearTimeout(timer); worker.off('message', onMessage); worker.off('error', onError); resolve(o); };
      const onMessage = (m: { id: number; problems: string[] }) => { if (m.id === id) done({ problems: m.problems, hung: false, ms: Date.now() - started }); };
      const onError = (e: Error) => { this.worker = undefined; done({ problems: [`the worker died: ${e.message}`], hung: false, ms: Date.now() - started }); };
      const timer = setTimeout(() => {
        this.worker = undefined;
        void worker.terminate();
        done({ problems: [`no result within ${budgetMs} ms (a hang)`], hung: true, ms: Date.now() - started });
      }, budgetMs);
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.postMessage({ id, case: c });
    });
  }

  async close(): Promise<void> {
    await this.worker?.terminate();
    this.worker = undefined;
    if (bundled) rmSync(await bundled, { force: true });
    bundled = undefined;
  }
}

/** Saves a failing case to the seed corpus (replayed by the seeds test); returns its file name. */
export function saveSeed(c: FuzzCase, problems: string[]): string {
  mkdirSync(SEEDS, { recursive: true });
  const text = `${JSON.stringify({ found: problems.map((p) => p.split('\n')[0].slice(0, 300)), case: c }, null, 1)}\n`;
  const name = `${c.kind}-${createHash('sha256').update(JSON.stringify(c)).digest('hex').slice(0, 12)}.json`;
  writeFileSync(join(SEEDS, name), text);
  return name;
}

/** Every saved seed: file name and case. */
export function loadSeeds(): { name: string; case: FuzzCase }[] {
  if (!existsSync(SEEDS)) return [];
  return readdirSync(SEEDS).filter((f) => f.endsWith('.json')).sort()
    .map((name) => ({ name, case: (JSON.parse(readFileSync(join(SEEDS, name), 'utf8')) as { case: FuzzCase }).case }));
}
