// Rule url-format: upstream URLs of self-hosted models and custom endpoints are well-formed and safe.
import { isRecord } from '../core/jsonpath.ts';
import { defineRule } from '../lint/rule.ts';

/** Hosts reached over the cluster network, where plain http is normal. */
function isClusterHost(host: string): boolean {
  return /\.svc(\.cluster\.local)?$/.test(host) || /\.cluster\.local$/.test(host) || host === 'localhost'
    || /^(127\.|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.)/.test(host) || !host.includes('.');
}

export default defineRule({
  id: 'url-format',
  meta: {
    description: 'Self-hosted model url and custom-endpoint base_url: http(s), no credentials, no trailing slash; plain http only inside the cluster',
    appliesTo: ['provider-account/self-hosted-model', 'provider-account/custom-endpoint'],
    needs: 'document',
    recommended: 'error',
    fixable: true,
    messages: {
      trailingSlash: '{{field}} "{{url}}" ends with "/"; the platform requires it without',
      scheme: '{{field}} "{{url}}" is not an http:// or https:// URL',
      credentials: '{{field}} carries credentials in the URL (user:password@); they would be stored and logged in clear',
      plainHttp: '{{field}} "{{url}}" uses plain http to a host outside the cluster ({{host}})',
      invalid: '{{field}} "{{url}}" is not a valid URL',
    },
  },
  hints: {
    trailingSlash: 'The gateway appends paths such as /chat/completions to this URL; a trailing "/" makes them start with "//". tfy-lint --fix removes it.',
    scheme: 'Write the full URL with its scheme, e.g. https://models.example.com/v1.',
    credentials: 'Remove user:password@ from the URL and put the credential in auth_data as a tfy-secret:// reference.',
    plainHttp: 'Requests and their prompts would cross the network unencrypted. Use https://, or a cluster-internal host (service.namespace.svc.cluster.local).',
    invalid: 'Check the URL for typos; it must parse as scheme://host[:port]/path.',
  },
  check(manifest, ctx) {
    const data = manifest.data as Record<string, unknown>;
    if (!Array.isArray(data.integrations)) return;
    data.integrations.forEach((item, i) => {
      if (!isRecord(item)) return;
      const field = typeof item.url === 'string' ? 'url' : typeof item.base_url === 'string' ? 'base_url' : undefined;
      if (!field) return;
      const url = item[field] as string;
      const path = ['integrations', i, field];
      if (!/^https?:\/\//i.test(url)) { ctx.report({ messageId: 'scheme', path, at: 'value', data: { field, url }, overlapsSchema: true }); return; }
      let parsed: URL;
      try { parsed = new URL(url); } catch { ctx.report({ messageId: 'invalid', path, at: 'value', data: { field, url } }); return; }
      if (parsed.username || parsed.password) {
        ctx.report({ messageId: 'credentials', path, at: 'value', data: { field } });
        return;
      }
      if (url.endsWith('/')) {
        ctx.report({ messageId: 'trailingSlash', path, at: 'value', data: { field, url }, fix: { path, value: url.replace(/\/+$/, '') }, overlapsSchema: true });
      }
      if (parsed.protocol === 'http:' && !isClusterHost(parsed.hostname)) {
        ctx.report({ messageId: 'plainHttp', path, at: 'value', severity: 'warning', data: { field, url, host: parsed.hostname } });
      }
    });
  },
});
