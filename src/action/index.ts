// Action: the entry point the runner starts (action.yml runs.main is its bundle, dist/action/index.js).
import { run } from './main.ts';

await run();
