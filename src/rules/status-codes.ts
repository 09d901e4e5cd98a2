// Rule status-codes: retry and fallback status codes are real HTTP codes, written as strings, each listed once.
import type { JsonPath } from '../core/diagnostic.ts';
import { defineRule, type RuleContext } from '../lint/rule.ts';
import { readStatusCode, RETRYABLE_CLIENT_ERRORS, statusCodeLists, type StatusCodeList } from '../project/routing.ts';
import { ownValue } from '../core/own.ts';

/** Names of the client errors people most often list, for messages. */
const CLIENT_ERROR_NAMES: Readonly<Record<string, string>> = {
  400: 'Bad Request', 401: 'Unauthorized', 402: 'Payment Required', 403: 'Forbidden', 404: 'Not Found',
  405: 'Method Not Allowed', 409: 'Conflict', 413: 'Payload Too Large', 415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
};

/** The codes of a class that gateways and providers actually return, to suggest instead of "5xx". */
const CLASS_EXAMPLES: Readonly<Record<number, string>> = {
  5: '"500", "502", "503", "504"',
  4: '"408", "429"',
};

export default defineRule({
  id: 'status-codes',
  meta: {
    description: 'Retry and fallback status codes (on_status_codes, fallback_status_codes) are 3-digit HTTP codes 100-599 written as strings, listed once; retrying a client error is suspicious',
    appliesTo: ['gateway-load-balancing-config', 'provider-account/virtual-model', 'provider-account/custom-endpoint', 'gateway-global-settings'],
    needs: 'document',
    recommended: 'error',
    fixable: true,
    messages: {
      invalid: 'status code "{{code}}" in {{field}} is not an HTTP status code (three digits, 100-599)',
      statusClass: 'status code "{{code}}" in {{field}} is a class, not a code; list the codes themselves, e.g. {{examples}}',
      number: 'status code {{code}} in {{field}} is a number; write it as a string: "{{code}}"',
      notError: 'status code "{{code}}" in {{field}} is not an error status, so no failed request carries it',
      retryClientError: 'retrying on "{{code}}"{{name}} repeats a request the provider has already refused; a retry only helps for 408 and 429',
      duplicate: 'status code "{{code}}" is listed twice in {{field}}',
      spaces: 'status code "{{code}}" in {{field}} has spaces around it; write "{{trimmed}}"',
    },
  },
  hints: {
    invalid: 'These lists hold exact HTTP status codes as 3-digit strings; a response status is always one of 100-599, so anything else never matches. Write codes such as "429" or "503".',
    statusClass: 'The lists hold exact codes and the platform documents no pattern syntax, so "5xx" would match no response. List each code that should trigger the retry or fallback.',
    number: 'The platform schema types these lists as strings: quote the code. tfy-lint check --fix does it.',
    notError: 'Retries and fallbacks happen on failed responses; a 1xx, 2xx or 3xx code in this list has no effect. Remove it.',
    retryClientError: 'A 4xx other than 408 (timeout) or 429 (rate limit) comes from the request itself (bad input, credentials, a missing model): retrying the same target gets the same answer and only adds latency. Keep it in fallback_status_codes (another target may accept it) and remove it from on_status_codes.',
    duplicate: 'A repeated code changes nothing; remove the repeat.',
    spaces: 'The lists hold exact 3-digit codes; with spaces the value may match no response. tfy-lint check --fix trims it.',
  },
  check(manifest, ctx) {
    for (const list of statusCodeLists(manifest)) {
      const seen = new Set<string>();
      list.codes.forEach((value, i) => {
        const code = checkCode(value, [...list.path, i], list, ctx);
        if (code === undefined) return;
        if (seen.has(code)) ctx.report({ messageId: 'duplicate', path: [...list.path, i], at: 'value', severity: 'warning', data: { code, field: list.field } });
        seen.add(code);
      });
    }
  },
});

/** Reports what is wrong with one entry; returns the code it stands for when it is one (for the duplicate check). */
function checkCode(value: unknown, path: JsonPath, list: StatusCodeList, ctx: RuleContext): string | undefined {
  const field = list.field;
  let code: string;
  if (typeof value === 'number') {
    code = String(value);
    if (readStatusCode(code).kind !== 'code') {
      ctx.report({ messageId: 'invalid', path, at: 'value', data: { code, field } });
      return undefined;
    }
    // The schema reports the type too; with it, this finding is folded into the schema's (the fix is kept).
    ctx.report({ messageId: 'number', path, at: 'value', data: { code, field }, fix: { path, value: code }, overlapsSchema: true });
  } else if (typeof value === 'string') {
    code = value.trim();
    const reading = readStatusCode(code);
    if (reading.kind === 'class') {
      ctx.report({ messageId: 'statusClass', path, at: 'value', data: { code: value, field, examples: CLASS_EXAMPLES[reading.digit] ?? `"${reading.digit}00"` } });
      return undefined;
    }
    if (reading.kind === 'invalid') {
      ctx.report({ messageId: 'invalid', path, at: 'value', data: { code: value, field } });
      return undefined;
    }
    if (code !== value) ctx.report({ messageId: 'spaces', path, at: 'value', data: { code: value, field, trimmed: code }, fix: { path, value: code } });
  } else {
    return undefined; // other types: the schema reports them
  }
  const status = Number(code);
  if (status < 400) {
    ctx.report({ messageId: 'notError', path, at: 'value', severity: 'warning', data: { code, field } });
  } else if (list.retry && status < 500 && !RETRYABLE_CLIENT_ERRORS.includes(code)) {
    const name = ownValue(CLIENT_ERROR_NAMES, code);
    ctx.report({ messageId: 'retryClientError', path, at: 'value', severity: 'warning', data: { code, name: name ? ` (${name})` : '' } });
  }
  return code;
}
