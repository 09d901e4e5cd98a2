// Rules: the explicit registry. A rule's file name is its id; the meta test checks both, its docs and its test.
import type { Rule } from '../lint/rule.ts';
import urlFormat from './url-format.ts';

export const RULES: readonly Rule[] = [
  urlFormat,
];

export const REGISTRY: ReadonlyMap<string, Rule> = new Map(RULES.map((r) => [r.id, r]));
