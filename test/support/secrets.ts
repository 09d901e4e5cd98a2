// Test support: one realistic secret of every provider format tfy-lint knows (core/secrets.ts KEY_FORMATS), plus the
// platform's own API key, for planting in manifests, live state and platform messages.
import { findRawKey } from '../../src/core/secrets.ts';

/** A deterministic generator of random-looking text (a secret must not be guessable from its prefix). */
function chars(seed: number, n: number, alphabet: string): string {
  let x = seed >>> 0 || 1;
  let out = '';
  for (let i = 0; i < n; i++) {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    out += alphabet[x % alphabet.length];
  }
  return out;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const WORD = `${ALNUM}_-`;
const HEX = '0123456789abcdef';
const B64 = `${ALNUM}+/`;
const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export interface PlantedSecret {
  provider: string;
  /**
   * Whether the value has a provider's key format, so that it can be recognised anywhere (in prose, a comment, a
   * model id). One without (an AWS secret access key, a platform API key) is only known as a secret under a
   * credential key, and is planted only there.
   */
  recognisable: boolean;
  /** The whole value as a user would paste it. */
  value: string;
  /** Its secret part: every 8-character stretch of it must stay out of every output. */
  secret: string;
}

function planted(provider: string, prefix: string, secret: string, suffix = ''): PlantedSecret {
  const value = `${prefix}${secret}${suffix}`;
  return { provider, recognisable: findRawKey(value) !== undefined, value, secret };
}

/** One secret per provider format; `seed` varies the random part. */
export function plantedSecrets(seed = 1): PlantedSecret[] {
  const r = (n: number, alphabet: string, k: number) => chars(seed * 7919 + k, n, alphabet);
  return [
    planted('Anthropic', 'sk-ant-api03-', r(95, WORD, 1)),
    planted('OpenRouter', 'sk-or-v1-', r(64, HEX, 2)),
    planted('OpenAI (project)', 'sk-proj-', r(48, ALNUM, 3)),
    planted('OpenAI (legacy)', 'sk-', `${r(20, ALNUM, 4)}T3BlbkFJ${r(20, ALNUM, 5)}`),
    planted('DeepSeek', 'sk-', r(32, HEX, 6)),
    planted('ElevenLabs', 'sk_', r(48, HEX, 7)),
    planted('Groq', 'gsk_', r(52, ALNUM, 8)),
    planted('xAI', 'xai-', r(80, ALNUM, 9)),
    planted('Perplexity', 'pplx-', r(48, ALNUM, 10)),
    planted('NVIDIA', 'nvapi-', r(64, WORD, 11)),
    planted('Hugging Face', 'hf_', r(34, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', 12)),
    planted('Replicate', 'r8_', r(37, ALNUM, 13)),
    planted('Databricks', 'dapi', r(32, HEX, 14)),
    planted('AWS access key ID', 'AKIA', r(16, B32, 15)),
    planted('AWS Bedrock', 'ABSK', r(120, B64, 16)),
    planted('Google', 'AIza', r(35, WORD, 17)),
    planted('GitHub', 'ghp_', r(36, ALNUM, 18)),
    planted('GitHub fine-grained', 'github_pat_', r(82, `${ALNUM}_`, 19)),
    planted('GitLab', 'glpat-', r(20, WORD, 20)),
    planted('Slack token', 'xoxb-', `${r(12, '0123456789', 21)}-${r(24, ALNUM, 22)}`),
    planted('Slack webhook', 'https://hooks.slack.com/services/', `T${r(8, B32, 23)}/B${r(8, B32, 24)}/${r(24, ALNUM, 25)}`),
    planted('Microsoft Teams webhook', 'https://acme.webhook.office.com/webhookb2/', `${r(36, HEX, 26)}@${r(20, HEX, 27)}`),
    planted('Discord webhook', 'https://discord.com/api/webhooks/', `${r(18, '0123456789', 28)}/${r(60, WORD, 29)}`),
    planted('LangSmith', 'lsv2_pt_', `${r(32, HEX, 30)}_${r(10, HEX, 31)}`),
    planted('Microsoft Entra', `${r(3, ALNUM, 32)}8Q~`, r(34, `${ALNUM}_~.`, 33).replace(/[.~]$/, 'x')),
    planted('JWT', 'eyJhbGciOiJIUzI1NiJ9.eyJ', `${r(40, WORD, 34)}.${r(43, WORD, 35)}`),
    planted('PEM private key', '-----BEGIN PRIVATE KEY-----\n', r(64, B64, 36), '\n-----END PRIVATE KEY-----\n'),
    planted('Google Cloud service account', '{"type": "service_account", "project_id": "acme", "private_key_id": "', r(40, HEX, 37), '"}'),
    planted('AWS secret access key', '', r(40, B64, 38)),
    planted('TrueFoundry API key', '', `tfy-${r(40, ALNUM, 39)}`),
  ];
}

/** Every 8-character stretch of a secret part: none may appear in any output. */
export function secretWindows(secret: string): string[] {
  const out: string[] = [];
  for (let i = 0; i + 8 <= secret.length; i++) out.push(secret.slice(i, i + 8));
  return out;
}
