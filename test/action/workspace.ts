// Test support for the Action: workspaces (a repository checkout) with a chosen number of findings of each severity.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { REPO } from '../helpers.ts';

export const EVENTS = join(REPO, 'fixtures', 'action', 'events');

export function event(name: 'pull_request' | 'pull_request_fork' | 'push' | 'schedule'): { name: string; payload: unknown } {
  return { name: name === 'pull_request_fork' ? 'pull_request' : name, payload: JSON.parse(readFileSync(join(EVENTS, `${name}.json`), 'utf8')) };
}

const POLICY = `custom:
  - id: naming/no-err
    given: ["provider-account/*"]
    path: $.name
    schema: {not: {pattern: "^err-"}}
    message: "{{value}} is named like an error"
    hint: Rename the account.
  - id: naming/no-warn
    given: ["provider-account/*"]
    path: $.name
    schema: {not: {pattern: "^warn-"}}
    message: "{{value}} is named like a warning"
    severity: warn
  - id: naming/no-note
    given: ["provider-account/*"]
    path: $.name
    schema: {not: {pattern: "^note-"}}
    message: "{{value}} is named like a notice"
    severity: info
`;

/** A clean provider account; `apiKey` replaces its secret reference (to plant a raw key). */
export function account(name: string, apiKey = 'tfy-secret://acme:llm-keys:ANTHROPIC_API_KEY'): string {
  return `type: provider-account/anthropic
name: ${name}
auth_data:
  type: api-key
  api_key: ${apiKey}
collaborators:
  - subject: team:platform
    role_id: provider-account-manager
integrations:
  - type: integration/model/anthropic
    name: claude
    model_id: claude-sonnet-4-5
`;
}

const pad = (n: number) => String(n).padStart(4, '0');

/** File of the i-th finding of a kind, relative to the workspace (the project is the folder `gateway`). */
export function findingFile(kind: 'err' | 'warn' | 'note', i: number): string {
  return `gateway/providers/${kind}-${pad(i)}.yaml`;
}

/**
 * A workspace whose project `gateway/` has `errors` + `warnings` + `infos` findings, one per file (at line 2, column 7),
 * plus `clean` files without any.
 */
export function workspaceWith(counts: { errors: number; warnings: number; infos: number; clean?: number }): string {
  const ws = mkdtempSync(join(tmpdir(), 'tfy-action-ws-'));
  const project = join(ws, 'gateway');
  mkdirSync(join(project, 'providers'), { recursive: true });
  mkdirSync(join(project, 'policies'), { recursive: true });
  writeFileSync(join(project, 'tfy-lint.config.yaml'), 'policies: [policies/naming.yaml]\n');
  writeFileSync(join(project, 'policies', 'naming.yaml'), POLICY);
  const add = (kind: 'err' | 'warn' | 'note' | 'ok', n: number) => {
    for (let i = 1; i <= n; i++) writeFileSync(join(ws, `gateway/providers/${kind}-${pad(i)}.yaml`), account(`${kind}-${pad(i)}`));
  };
  add('err', counts.errors);
  add('warn', counts.warnings);
  add('note', counts.infos);
  add('ok', counts.clean ?? 1);
  return ws;
}

/** A workspace holding a copy of a folder of this repository at `at`. */
export function workspaceFrom(folder: string, at: string): string {
  const ws = mkdtempSync(join(tmpdir(), 'tfy-action-ws-'));
  mkdirSync(dirname(join(ws, at)), { recursive: true });
  cpSync(join(REPO, folder), join(ws, at), { recursive: true });
  return ws;
}
