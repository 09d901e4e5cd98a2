// Test support: runs the committed Action bundle as the GitHub runner does, and reads back what the step produced.
//
// The runner starts `node <runs.main>` with one INPUT_<NAME> variable per input (the name upper-cased, spaces made
// underscores, hyphens kept; inputs the workflow leaves out get their action.yml default), GITHUB_* variables, an
// event payload file, and file commands in RUNNER_TEMP (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_ENV, GITHUB_STATE,
// GITHUB_PATH). It reads workflow commands (::error file=…::message) from stdout, unescaping their data and properties.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { REPO } from '../helpers.ts';

export interface WorkflowCommand { command: string; properties: Record<string, string>; message: string }

export interface StepRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  commands: WorkflowCommand[];
  /** Outputs written to GITHUB_OUTPUT. */
  outputs: Record<string, string>;
  summary: string;
  /** Values registered with ::add-mask::. */
  masked: string[];
  /** Every text the step produced: stdout (without the add-mask commands), stderr, the summary, the output values. */
  everything: string;
}

interface ActionMeta { inputs: Record<string, { default?: string }>; runs: { using: string; main: string } }

export function actionMeta(): ActionMeta {
  return parse(readFileSync(join(REPO, 'action.yml'), 'utf8')) as ActionMeta;
}

function unescapeData(s: string): string {
  return s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}

function unescapeProperty(s: string): string {
  return s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
}

/** Workflow commands as the runner reads them: `::name k=v,k=v::message` on a line of its own. */
export function parseCommands(stdout: string): WorkflowCommand[] {
  const out: WorkflowCommand[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    const m = /^::([A-Za-z-]+)(?: ([^:]*))?::(.*)$/.exec(line);
    if (!m) continue;
    const properties: Record<string, string> = {};
    for (const part of (m[2] ?? '').split(',').filter(Boolean)) {
      const eq = part.indexOf('=');
      properties[part.slice(0, eq)] = unescapeProperty(part.slice(eq + 1));
    }
    out.push({ command: m[1], properties, message: unescapeData(m[3]) });
  }
  return out;
}

/** GITHUB_OUTPUT in the runner's format: `name=value` or `name<<DELIMITER` … `DELIMITER`. */
export function parseFileCommand(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line) continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== heredoc[2]; i++) value.push(lines[i]);
      out[heredoc[1]] = value.join('\n');
    } else {
      const eq = line.indexOf('=');
      out[line.slice(0, eq)] = line.slice(eq + 1);
    }
  }
  return out;
}

export interface StepOptions {
  /** Inputs as a workflow's `with:` gives them. */
  inputs?: Record<string, string>;
  /** The event payload (written to GITHUB_EVENT_PATH) and its name. */
  event: { name: string; payload: unknown };
  workspace: string;
  githubApiUrl: string;
  /** The workflow's GITHUB_TOKEN, the default of the github-token input. */
  githubToken?: string;
  env?: Record<string, string>;
  sha?: string;
}

export function inputEnvName(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

/** Runs `node <runs.main>` of action.yml as the runner does for one step. */
export async function runStep(opts: StepOptions): Promise<StepRun> {
  const meta = actionMeta();
  const temp = mkdtempSync(join(tmpdir(), 'tfy-runner-'));
  const files = { GITHUB_OUTPUT: 'output', GITHUB_STEP_SUMMARY: 'summary.md', GITHUB_ENV: 'env', GITHUB_STATE: 'state', GITHUB_PATH: 'path' };
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: temp,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    RUNNER_TEMP: temp,
    RUNNER_OS: 'Linux',
    GITHUB_WORKSPACE: opts.workspace,
    GITHUB_REPOSITORY: 'acme/gateway-config',
    GITHUB_REPOSITORY_OWNER: 'acme',
    GITHUB_EVENT_NAME: opts.event.name,
    GITHUB_EVENT_PATH: join(temp, 'event.json'),
    GITHUB_SHA: opts.sha ?? '1111111111111111111111111111111111111111',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_SERVER_URL: 'https://github.example',
    GITHUB_API_URL: opts.githubApiUrl,
    GITHUB_RUN_ID: '4242',
    GITHUB_ACTION: 'tfy-lint',
  };
  mkdirSync(temp, { recursive: true });
  writeFileSync(env.GITHUB_EVENT_PATH, JSON.stringify(opts.event.payload));
  for (const [name, file] of Object.entries(files)) {
    env[name] = join(temp, file);
    writeFileSync(env[name], '');
  }
  for (const [name, spec] of Object.entries(meta.inputs)) {
    const given = opts.inputs?.[name];
    let value = given ?? spec.default ?? '';
    value = String(value).replace(/\$\{\{\s*github\.token\s*\}\}/g, opts.githubToken ?? '');
    env[inputEnvName(name)] = value;
  }
  for (const name of Object.keys(opts.inputs ?? {})) if (!(name in meta.inputs)) throw new Error(`action.yml has no input "${name}"`);
  Object.assign(env, opts.env ?? {});

  const child = spawn(process.execPath, [join(REPO, meta.runs.main)], { cwd: opts.workspace, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
  child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
  const exitCode = await new Promise<number>((ok) => child.on('close', (code) => ok(code ?? -1)));
  const commands = parseCommands(stdout);
  const outputs = parseFileCommand(readFileSync(env.GITHUB_OUTPUT, 'utf8'));
  const summary = readFileSync(env.GITHUB_STEP_SUMMARY, 'utf8');
  const masked = commands.filter((c) => c.command === 'add-mask').map((c) => c.message);
  const shown = stdout.split('\n').filter((l) => !l.startsWith('::add-mask::')).join('\n');
  const everything = [shown, stderr, summary, ...Object.values(outputs), readFileSync(env.GITHUB_ENV, 'utf8'), readFileSync(env.GITHUB_STATE, 'utf8')].join('\n');
  return { exitCode, stdout, stderr, commands, outputs, summary, masked, everything };
}

/** Annotations among the commands: error, warning and notice. */
export function annotations(run: StepRun): WorkflowCommand[] {
  return run.commands.filter((c) => c.command === 'error' || c.command === 'warning' || c.command === 'notice');
}
