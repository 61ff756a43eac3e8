import { isRejection, type Bound, type Expectation, type UsageField } from './schema.js';
import type { Observed, Usage } from './wire.js';

/** A recorded token count next to the target's: the calibration figure of one field. */
export interface TokenError {
  field: UsageField;
  expected: number;
  observed: number;
  /** The bound's relative tolerance and absolute slack. */
  tolerance: number;
  slack: number;
}

/** Default relative tolerance of an `approx` bound. */
export const DEFAULT_TOLERANCE = 0.1;
/** Default absolute slack (tokens) of an `approx` bound. */
export const DEFAULT_SLACK = 10;

const oneOf = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

function checkBound(field: UsageField, bound: Bound, value: number, earlier: readonly (Usage | undefined)[]): string[] {
  const problems: string[] = [];
  if (bound.equals !== undefined && value !== bound.equals) problems.push(`${field} ${value}, expected ${bound.equals}`);
  if (bound.min !== undefined && value < bound.min) problems.push(`${field} ${value}, expected ≥ ${bound.min}`);
  if (bound.max !== undefined && value > bound.max) problems.push(`${field} ${value}, expected ≤ ${bound.max}`);
  if (bound.approx !== undefined) {
    const tolerance = bound.tolerance ?? DEFAULT_TOLERANCE;
    const slack = bound.slack ?? DEFAULT_SLACK;
    const off = Math.abs(value - bound.approx);
    if (off > slack && off > tolerance * bound.approx) {
      problems.push(`${field} ${value}, recorded ${bound.approx} (±${Math.round(tolerance * 100)}% or ±${slack})`);
    }
  }
  if (bound.sameAs) {
    const other = earlier[bound.sameAs.step]?.[bound.sameAs.field];
    if (other === undefined) problems.push(`${field}: request ${bound.sameAs.step} has no usage to compare with`);
    else if (value !== other) problems.push(`${field} ${value}, expected request ${bound.sameAs.step}'s ${bound.sameAs.field} (${other})`);
  }
  return problems;
}

/**
 * Compares one observed answer with its expectation. `earlier` holds the usage of the previous
 * requests of the fixture (for `sameAs`). Returns the differences (empty = agree) and the
 * recorded-count comparisons (`approx` bounds) for the calibration table.
 */
export function compareOutcome(
  expectation: Expectation,
  observed: Observed,
  earlier: readonly (Usage | undefined)[],
): { differences: string[]; tokenErrors: TokenError[] } {
  const differences: string[] = [];
  const tokenErrors: TokenError[] = [];
  if (isRejection(expectation)) {
    if (!oneOf(expectation.status).includes(observed.status)) {
      differences.push(`status ${observed.status}${observed.message ? ` (${observed.message})` : ''}, expected ${oneOf(expectation.status).join(' or ')}`);
      return { differences, tokenErrors };
    }
    if (!oneOf(expectation.errorType).includes(observed.errorType ?? '')) {
      differences.push(`error type ${observed.errorType ?? '(none)'}, expected ${oneOf(expectation.errorType).join(' or ')}`);
    }
    if (expectation.message !== undefined && observed.message !== expectation.message) {
      differences.push(`message "${observed.message ?? ''}", expected "${expectation.message}"`);
    }
    if (expectation.messagePattern !== undefined && !new RegExp(expectation.messagePattern).test(observed.message ?? '')) {
      differences.push(`message "${observed.message ?? ''}" does not match /${expectation.messagePattern}/`);
    }
    return { differences, tokenErrors };
  }
  if (observed.status !== 200) {
    differences.push(`status ${observed.status} ${observed.errorType ?? ''}: "${observed.message ?? ''}", expected 200`);
    return { differences, tokenErrors };
  }
  const usage = observed.usage;
  const bounds = Object.entries(expectation.usage ?? {}) as Array<[UsageField, Bound]>;
  if (bounds.length > 0 && !usage) differences.push('no usage in the response');
  if (usage) {
    for (const [field, bound] of bounds) {
      differences.push(...checkBound(field, bound, usage[field], earlier));
      if (bound.approx !== undefined) {
        tokenErrors.push({ field, expected: bound.approx, observed: usage[field], tolerance: bound.tolerance ?? DEFAULT_TOLERANCE, slack: bound.slack ?? DEFAULT_SLACK });
      }
    }
  }
  const raw = observed.rawUsage ?? {};
  for (const key of expectation.usageKeys?.present ?? []) if (!(key in raw)) differences.push(`usage lacks "${key}"`);
  for (const key of expectation.usageKeys?.absent ?? []) if (key in raw) differences.push(`usage has "${key}", which Bedrock omits here`);
  return { differences, tokenErrors };
}
