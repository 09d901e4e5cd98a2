// Action: the inputs of action.yml, checked and typed. A bad value stops the step with a message naming the input.
import type { Severity } from '../core/diagnostic.ts';

export const COMMANDS = ['check', 'plan', 'apply', 'drift'] as const;
export type Command = (typeof COMMANDS)[number];
export const COMMENT_MODES = ['off', 'changes', 'always'] as const;
export type CommentMode = (typeof COMMENT_MODES)[number];

export interface ActionInputs {
  command: Command;
  /** The project folder, relative to the working directory. */
  path: string;
  config?: string;
  failOn: Severity;
  annotations: boolean;
  comment: CommentMode;
  githubToken?: string;
  tfyBaseUrl?: string;
  tfyApiKey?: string;
  sarifFile?: string;
  planFile?: string;
  workingDirectory?: string;
}

export class InputError extends Error {
  override name = 'InputError';
}

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[], fallback: T): T {
  if (value === '') return fallback;
  const v = value.toLowerCase();
  if ((allowed as readonly string[]).includes(v)) return v as T;
  throw new InputError(`input "${name}" takes ${allowed.map((a) => `"${a}"`).join(', ')}, not "${value}"`);
}

/** true/false the way the runner's YAML 1.2 core schema spells them. */
function bool(name: string, value: string, fallback: boolean): boolean {
  if (value === '') return fallback;
  if (['true', 'True', 'TRUE'].includes(value)) return true;
  if (['false', 'False', 'FALSE'].includes(value)) return false;
  throw new InputError(`input "${name}" takes true or false, not "${value}"`);
}

const opt = (v: string): string | undefined => (v === '' ? undefined : v);

/** Reads every input through `get` (core.getInput: trimmed, '' when unset). */
export function readInputs(get: (name: string) => string): ActionInputs {
  const failOnRaw = get('fail-on');
  return {
    command: oneOf('command', get('command'), COMMANDS, 'check'),
    path: get('path') || '.',
    config: opt(get('config')),
    failOn: oneOf('fail-on', failOnRaw === 'warn' ? 'warning' : failOnRaw, ['error', 'warning', 'info'] as const, 'error'),
    annotations: bool('annotations', get('annotations'), true),
    comment: oneOf('comment', get('comment'), COMMENT_MODES, 'changes'),
    githubToken: opt(get('github-token')),
    tfyBaseUrl: opt(get('tfy-base-url')),
    tfyApiKey: opt(get('tfy-api-key')),
    sarifFile: opt(get('sarif-file')),
    planFile: opt(get('plan-file')),
    workingDirectory: opt(get('working-directory')),
  };
}
