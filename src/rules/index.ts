// Rules: the explicit registry. A rule's file name is its id; the meta test checks both, its docs and its test.
import type { Rule } from '../lint/rule.ts';
import appliesPer from './applies-per.ts';
import budgetSanity from './budget-sanity.ts';
import collaborators from './collaborators.ts';
import deprecated from './deprecated.ts';
import guardrailReach from './guardrail-reach.ts';
import integrationTypeMatch from './integration-type-match.ts';
import noRawSecrets from './no-raw-secrets.ts';
import routingWeights from './routing-weights.ts';
import ruleShadowing from './rule-shadowing.ts';
import secretRefFormat from './secret-ref-format.ts';
import statusCodes from './status-codes.ts';
import targetExists from './target-exists.ts';
import uniqueNames from './unique-names.ts';
import urlFormat from './url-format.ts';

export const RULES: readonly Rule[] = [
  appliesPer,
  budgetSanity,
  collaborators,
  deprecated,
  guardrailReach,
  integrationTypeMatch,
  noRawSecrets,
  routingWeights,
  ruleShadowing,
  secretRefFormat,
  statusCodes,
  targetExists,
  uniqueNames,
  urlFormat,
];

export const REGISTRY: ReadonlyMap<string, Rule> = new Map(RULES.map((r) => [r.id, r]));
