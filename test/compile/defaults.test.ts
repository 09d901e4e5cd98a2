import { describe, expect, it } from 'vitest';
import { applyDefaults } from '../../src/compile/defaults.ts';
import { loadSchemaSet } from '../../src/validate/schemas.ts';

const schemas = loadSchemaSet();

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object') { for (const x of Object.values(v)) deepFreeze(x); Object.freeze(v); }
  return v;
}

describe('applyDefaults', () => {
  it('fills integration defaults through $ref into common.schema.json, and leaves given values alone', () => {
    const doc = deepFreeze({
      type: 'provider-account/openai', name: 'openai-main',
      integrations: [
        { type: 'integration/model/openai', name: 'gpt-4o', model_id: 'gpt-4o' },
        { type: 'integration/model/openai', name: 'emb', model_id: 'text-embedding-3-small', model_types: ['embedding'] },
      ],
    });
    const out = applyDefaults(doc, schemas) as { integrations: { model_types: string[] }[] };
    expect(out.integrations.map((i) => i.model_types)).toEqual([['chat'], ['embedding']]);
    expect((doc.integrations[0] as Record<string, unknown>).model_types).toBeUndefined();
  });

  it('uses the per-type default where a provider declares its own (speech models)', () => {
    const out = applyDefaults({ type: 'provider-account/deepgram', name: 'dg', auth_data: { type: 'api-key', api_key: 'tfy-secret://a:b:c' },
      integrations: [{ type: 'integration/model/deepgram', name: 'nova-3', model_id: 'nova-3' }] }, schemas) as { integrations: { model_types: string[] }[] };
    expect(out.integrations[0].model_types).toEqual(['audio_transcription']);
  });

  it('selects the if/then branch by the discriminator: weight and priority targets get their own defaults', () => {
    const doc = {
      type: 'provider-account/virtual-model', name: 'chat',
      integrations: [
        { type: 'integration/model/virtual', name: 'w', routing_config: { type: 'weight-based-routing', load_balance_targets: [{ target: 'a/b', weight: 100 }] } },
        { type: 'integration/model/virtual', name: 'p', routing_config: { type: 'priority-based-routing', load_balance_targets: [{ target: 'a/b', retry_config: { attempts: 2 } }] } },
      ],
    };
    const out = applyDefaults(doc, schemas) as { integrations: { model_types: string[]; routing_config: { load_balance_targets: Record<string, unknown>[] } }[] };
    const [w, p] = out.integrations;
    expect(w.model_types).toEqual(['chat']);
    expect(w.routing_config.load_balance_targets[0]).toMatchObject({ fallback_candidate: true, fallback_status_codes: ['401', '403', '404', '429', '500', '502', '503'] });
    expect(w.routing_config.load_balance_targets[0]).not.toHaveProperty('priority');
    expect(p.routing_config.load_balance_targets[0]).toMatchObject({ priority: 0, fallback_candidate: true, retry_config: { attempts: 2, delay: 100, on_status_codes: ['429', '500', '502', '503'] } });
  });

  it('fills rule defaults in gateway configs (allOf chains on the rule type), only inside objects that exist', () => {
    const lb = applyDefaults({
      type: 'gateway-load-balancing-config', name: 'x',
      rules: [{ id: 'r', type: 'latency-based-routing', when: {}, load_balance_targets: [{ target: 'a/b' }] }],
    }, schemas) as { rules: { load_balance_targets: Record<string, unknown>[] }[] };
    expect(lb.rules[0].load_balance_targets[0]).toEqual({ target: 'a/b', fallback_status_codes: ['401', '403', '404', '429', '500', '502', '503'], fallback_candidate: true });
    const budget = applyDefaults({
      type: 'gateway-budget-config', name: 'b',
      rules: [{ id: 'a', when: {}, limit_to: 5, unit: 'cost_per_day' }, { id: 'b', when: {}, limit_to: 5, unit: 'cost_per_day', alerts: { notification_target: [] } }],
    }, schemas) as { rules: Record<string, unknown>[] };
    expect(budget.rules[0]).toEqual({ id: 'a', when: {}, limit_to: 5, unit: 'cost_per_day', audit_mode: false });
    expect(budget.rules[1].alerts).toEqual({ notification_target: [], thresholds: [75, 90, 95, 100] });
  });

  it('picks the guardrail kind by its type (the default operation differs by kind)', () => {
    const out = applyDefaults({
      type: 'provider-account/guardrail-config-group', name: 'g',
      integrations: [
        { type: 'integration/guardrail-config/tfy-pii', name: 'pii', enforcing_strategy: 'enforce', config: {} },
        { type: 'integration/guardrail-config/regex', name: 'rx', enforcing_strategy: 'audit', config: {} },
      ],
    }, schemas) as { integrations: Record<string, unknown>[] };
    expect(out.integrations[0].operation).toBe('mutate');
    expect(out.integrations[1].operation).toBe('validate');
  });

  it('returns a plain copy of a document of unknown type, and of non-objects', () => {
    const doc = { type: 'no-such-type', name: 'x', nested: { a: [1] } };
    const out = applyDefaults(doc, schemas);
    expect(out).toEqual(doc);
    expect(out).not.toBe(doc);
    expect(applyDefaults('text', schemas)).toBe('text');
    expect(applyDefaults([1, 2], schemas)).toEqual([1, 2]);
  });

  it('is idempotent', () => {
    const doc = { type: 'gateway-rate-limiting-config', name: 'r', rules: [{ id: 'a', when: {}, limit_to: 1, unit: 'requests_per_minute' }] };
    const once = applyDefaults(doc, schemas);
    expect(applyDefaults(once, schemas)).toEqual(once);
  });
});
