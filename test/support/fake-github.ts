// Test support: a local stand-in for the GitHub REST API on 127.0.0.1, the parts the Action uses.
//
// It behaves as api.github.com is documented to: token auth (401 "Bad credentials" without a known token), GET /user
// for a person's token and 403 "Resource not accessible by integration" for an installation token such as the
// workflow's GITHUB_TOKEN (whose comments are written as github-actions[bot]), 403 with the same body for writes with
// a read-only token (a fork's pull request), list endpoints paginated with per_page/page and a Link header,
// x-ratelimit-* headers on every answer and a 403 "API rate limit exceeded" once they run out, issue comments, pull
// request files, and issues with labels (list by label and state, create, update, close). A path prefix serves it as
// GitHub Enterprise Server does (/api/v3).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TokenInfo {
  login: string;
  /** An installation token (GITHUB_TOKEN, a GitHub App): GET /user is refused. Its login ends in [bot]. */
  installation?: boolean;
  /** May read but not write (a pull request from a fork). */
  readOnly?: boolean;
}

export interface Comment { id: number; body: string; user: { login: string; type: string }; html_url: string; created_at: string; updated_at: string }
export interface Issue {
  number: number; title: string; body: string; state: 'open' | 'closed'; state_reason: string | null; labels: { name: string }[];
  user: { login: string; type: string }; html_url: string; pull_request?: Record<string, unknown>;
}
export interface RequestRecord { method: string; path: string; query: Record<string, string>; status: number; token?: string; body?: unknown }

export interface FakeGithubOptions {
  owner?: string;
  repo?: string;
  /** Serve under this path prefix, as GitHub Enterprise Server serves /api/v3. */
  prefix?: string;
  /** Requests allowed before the rate limit runs out (default 5000). */
  rateLimit?: number;
}

const DOCS = 'https://docs.github.com/rest';

export class FakeGithub {
  readonly log: RequestRecord[] = [];
  readonly tokens = new Map<string, TokenInfo>();
  /** Comments by issue or pull-request number. */
  readonly comments = new Map<number, Comment[]>();
  readonly issues: Issue[] = [];
  readonly labels = new Set<string>();
  /** Changed files by pull-request number. */
  readonly pullFiles = new Map<number, { filename: string; status: string; previous_filename?: string }[]>();
  rateRemaining: number;
  private nextId = 1000;
  private server!: Server;
  url = '';

  private constructor(readonly opts: Required<FakeGithubOptions>) {
    this.rateRemaining = opts.rateLimit;
  }

  static async start(opts: FakeGithubOptions = {}): Promise<FakeGithub> {
    const fake = new FakeGithub({ owner: 'acme', repo: 'gateway-config', prefix: '', rateLimit: 5000, ...opts });
    fake.server = createServer((req, res) => { fake.handle(req, res).catch((e) => fake.send(res, 500, { message: String(e) })); });
    await new Promise<void>((ok) => fake.server.listen(0, '127.0.0.1', ok));
    fake.url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}${fake.opts.prefix}`;
    return fake;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((ok) => this.server.close(() => ok()));
  }

  get repoPath(): string {
    return `/repos/${this.opts.owner}/${this.opts.repo}`;
  }

  addComment(issue: number, login: string, body: string): Comment {
    const now = new Date().toISOString();
    const id = this.nextId++;
    const c: Comment = {
      id, body, user: { login, type: login.endsWith('[bot]') ? 'Bot' : 'User' },
      html_url: `https://github.example/${this.opts.owner}/${this.opts.repo}/pull/${issue}#issuecomment-${id}`, created_at: now, updated_at: now,
    };
    const list = this.comments.get(issue) ?? [];
    list.push(c);
    this.comments.set(issue, list);
    return c;
  }

  addIssue(init: { title: string; body: string; labels?: string[]; login: string; state?: 'open' | 'closed'; pullRequest?: boolean }): Issue {
    const number = this.issues.length + 1 + 100;
    const issue: Issue = {
      number, title: init.title, body: init.body, state: init.state ?? 'open', state_reason: null,
      labels: (init.labels ?? []).map((name) => ({ name })), user: { login: init.login, type: init.login.endsWith('[bot]') ? 'Bot' : 'User' },
      html_url: `https://github.example/${this.opts.owner}/${this.opts.repo}/issues/${number}`,
      ...(init.pullRequest ? { pull_request: { url: 'x' } } : {}),
    };
    for (const l of init.labels ?? []) this.labels.add(l);
    this.issues.push(issue);
    return issue;
  }

  requests(method?: string, pathPattern?: RegExp): RequestRecord[] {
    return this.log.filter((r) => (!method || r.method === method) && (!pathPattern || pathPattern.test(r.path)));
  }

  private send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const text = body === undefined ? '' : JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...this.rateHeaders(), ...headers });
    res.end(text);
  }

  private rateHeaders(): Record<string, string> {
    return {
      'x-ratelimit-limit': String(this.opts.rateLimit),
      'x-ratelimit-remaining': String(Math.max(0, this.rateRemaining)),
      'x-ratelimit-used': String(this.opts.rateLimit - Math.max(0, this.rateRemaining)),
      'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
      'x-ratelimit-resource': 'core',
    };
  }

  private forbidden(res: ServerResponse, doc: string): void {
    this.send(res, 403, { message: 'Resource not accessible by integration', documentation_url: `${DOCS}/${doc}`, status: '403' });
  }

  /** Pages a list as GitHub does: per_page (default 30, at most 100), page (1-based), and a Link header. */
  private page<T>(res: ServerResponse, url: URL, items: T[]): void {
    const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page') ?? 30)));
    const page = Math.max(1, Number(url.searchParams.get('page') ?? 1));
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const link = (p: number, rel: string) => {
      const u = new URL(url.toString());
      u.searchParams.set('page', String(p));
      u.searchParams.set('per_page', String(perPage));
      return `<${u.toString()}>; rel="${rel}"`;
    };
    const links: string[] = [];
    if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
    if (page > 1) links.push(link(1, 'first'), link(page - 1, 'prev'));
    this.send(res, 200, items.slice((page - 1) * perPage, page * perPage), links.length ? { link: links.join(', ') } : {});
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const host = `http://${req.headers.host}`;
    const url = new URL(req.url ?? '/', host);
    const method = req.method ?? 'GET';
    let body: unknown;
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (chunks.length) {
      try { body = JSON.parse(Buffer.concat(chunks).toString('utf8')); } catch { body = undefined; }
    }
    const auth = req.headers.authorization ?? '';
    const token = /^(?:token|bearer)\s+(.+)$/i.exec(auth)?.[1];
    const record: RequestRecord = { method, path: url.pathname, query: Object.fromEntries(url.searchParams), status: 0, token, body };
    this.log.push(record);
    res.on('finish', () => { record.status = res.statusCode; });
    const send = (status: number, b: unknown, h: Record<string, string> = {}) => this.send(res, status, b, h);
    {
      if (!url.pathname.startsWith(this.opts.prefix)) return send(404, { message: 'Not Found', documentation_url: DOCS, status: '404' });
      const path = url.pathname.slice(this.opts.prefix.length) || '/';
      const who = token ? this.tokens.get(token) : undefined;
      if (!who) return send(401, { message: 'Bad credentials', documentation_url: DOCS, status: '401' });
      this.rateRemaining--;
      if (this.rateRemaining < 0) {
        return send(403, { message: 'API rate limit exceeded for installation. If you reach out to GitHub Support for help, please include the request ID.', documentation_url: `${DOCS}/overview/rate-limits-for-the-rest-api`, status: '403' });
      }
      const write = method !== 'GET' && method !== 'HEAD';
      if (path === '/user' && method === 'GET') {
        if (who.installation) return this.forbidden(res, 'users/users#get-the-authenticated-user');
        return send(200, { login: who.login, id: 1, type: 'User' });
      }
      const repo = this.repoPath;
      if (!path.startsWith(`${repo}/`)) return send(404, { message: 'Not Found', documentation_url: DOCS, status: '404' });
      const rest = path.slice(repo.length);
      let m: RegExpExecArray | null;
      if (write && who.readOnly) return this.forbidden(res, 'issues/comments#create-an-issue-comment');

      if ((m = /^\/issues\/(\d+)\/comments$/.exec(rest))) {
        const n = Number(m[1]);
        if (method === 'GET') return this.page(res, url, this.comments.get(n) ?? []);
        if (method === 'POST') {
          const text = (body as { body?: unknown })?.body;
          if (typeof text !== 'string' || !text) return send(422, { message: 'Validation Failed', errors: [{ resource: 'IssueComment', code: 'missing_field', field: 'body' }], status: '422' });
          if (text.length > 65536) return send(422, { message: 'Validation Failed', errors: [{ resource: 'IssueComment', code: 'custom', field: 'body', message: 'body is too long (maximum is 65536 characters)' }], status: '422' });
          return send(201, this.addComment(n, who.login, text));
        }
      }
      if ((m = /^\/issues\/comments\/(\d+)$/.exec(rest)) && method === 'PATCH') {
        const id = Number(m[1]);
        const c = [...this.comments.values()].flat().find((x) => x.id === id);
        if (!c) return send(404, { message: 'Not Found', documentation_url: DOCS, status: '404' });
        // Only the author edits a comment here, so a test sees any attempt to touch someone else's.
        if (c.user.login !== who.login) return this.forbidden(res, 'issues/comments#update-an-issue-comment');
        const text = (body as { body?: unknown })?.body;
        if (typeof text !== 'string' || text.length > 65536) return send(422, { message: 'Validation Failed', status: '422' });
        c.body = text;
        c.updated_at = new Date().toISOString();
        return send(200, c);
      }
      if ((m = /^\/pulls\/(\d+)\/files$/.exec(rest)) && method === 'GET') {
        const files = this.pullFiles.get(Number(m[1]));
        if (!files) return send(404, { message: 'Not Found', documentation_url: DOCS, status: '404' });
        return this.page(res, url, files);
      }
      if (rest === '/issues' && method === 'GET') {
        const state = url.searchParams.get('state') ?? 'open';
        const wanted = (url.searchParams.get('labels') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
        const creator = url.searchParams.get('creator');
        const list = this.issues.filter((i) => (state === 'all' || i.state === state)
          && wanted.every((l) => i.labels.some((x) => x.name === l)) && (!creator || i.user.login === creator));
        return this.page(res, url, [...list].sort((a, b) => b.number - a.number));
      }
      if (rest === '/issues' && method === 'POST') {
        const b = body as { title?: string; body?: string; labels?: string[] };
        if (!b?.title) return send(422, { message: 'Validation Failed', status: '422' });
        return send(201, this.addIssue({ title: b.title, body: b.body ?? '', labels: b.labels, login: who.login }));
      }
      if ((m = /^\/issues\/(\d+)$/.exec(rest))) {
        const issue = this.issues.find((i) => i.number === Number(m![1]));
        if (!issue) return send(404, { message: 'Not Found', documentation_url: DOCS, status: '404' });
        if (method === 'GET') return send(200, issue);
        if (method === 'PATCH') {
          const b = body as Partial<Omit<Issue, "labels">> & { labels?: string[] };
          if (typeof b.title === 'string') issue.title = b.title;
          if (typeof b.body === 'string') issue.body = b.body;
          if (b.state === 'open' || b.state === 'closed') { issue.state = b.state; issue.state_reason = b.state === 'closed' ? (b.state_reason ?? 'completed') : null; }
          if (Array.isArray(b.labels)) issue.labels = b.labels.map((name) => ({ name }));
          return send(200, issue);
        }
      }
      if ((m = /^\/labels\/([^/]+)$/.exec(rest)) && method === 'GET') {
        const name = decodeURIComponent(m[1]);
        return this.labels.has(name) ? send(200, { name, color: 'ededed' }) : send(404, { message: 'Not Found', documentation_url: DOCS, status: '404' });
      }
      if (rest === '/labels' && method === 'POST') {
        const name = (body as { name?: string })?.name;
        if (!name) return send(422, { message: 'Validation Failed', status: '422' });
        if (this.labels.has(name)) return send(422, { message: 'Validation Failed', errors: [{ resource: 'Label', code: 'already_exists', field: 'name' }], status: '422' });
        this.labels.add(name);
        return send(201, { name, color: (body as { color?: string }).color ?? 'ededed' });
      }
      return send(404, { message: 'Not Found', documentation_url: DOCS, status: '404' });
    }
  }
}
