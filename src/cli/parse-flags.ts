import { CliUsageError } from './cli-usage-error.js';
import type { FlagSpec, FlagValues } from './types.js';

/** `--name=value` or `--name`. */
const FLAG = /^--([a-z][a-z0-9-]*)(?:=(.*))?$/s;

/** Checks and converts one value of `spec`; the error names the flag and what it accepts. */
function convert(spec: FlagSpec, raw: string): string | number {
  const flag = `--${spec.name}`;
  if (spec.type === 'enum') {
    const values = spec.values ?? [];
    if (!values.includes(raw)) throw new CliUsageError(`${flag} must be one of: ${values.join(', ')} (got '${raw}')`);
    return raw;
  }
  if (spec.type === 'integer' || spec.type === 'number') {
    const value = raw.trim() === '' ? Number.NaN : Number(raw);
    const range =
      spec.min !== undefined && spec.max !== undefined
        ? ` from ${spec.min} to ${spec.max}`
        : spec.min !== undefined
          ? ` ${spec.exclusiveMin ? 'greater than' : 'of at least'} ${spec.min}`
          : '';
    const what = `${spec.type === 'integer' ? 'an integer' : 'a number'}${range}`;
    const below = spec.min !== undefined && (spec.exclusiveMin ? value <= spec.min : value < spec.min);
    const above = spec.max !== undefined && value > spec.max;
    if (!Number.isFinite(value) || (spec.type === 'integer' && !Number.isInteger(value)) || below || above) {
      throw new CliUsageError(`${flag} must be ${what} (got '${raw}')`);
    }
    return value;
  }
  return raw;
}

/**
 * Parses `--flag value` / `--flag=value` arguments against a command's flag list. Unknown flags,
 * missing values, bad values, positional arguments and repeated single flags are usage errors
 * that name the flag and the accepted values.
 */
export function parseFlags(args: readonly string[], specs: readonly FlagSpec[], command: string): FlagValues {
  const byName = new Map(specs.map((spec) => [spec.name, spec]));
  const values: FlagValues = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const match = FLAG.exec(arg);
    if (!match) {
      throw new CliUsageError(`unexpected argument '${arg}' for '${command}' (flags start with --; see '${command} --help')`);
    }
    const [, name = '', inline] = match;
    const spec = byName.get(name);
    if (!spec) {
      throw new CliUsageError(`unknown flag --${name} for '${command}'; its flags: ${specs.map((s) => `--${s.name}`).join(', ')}`);
    }
    let value: string | number | boolean;
    if (spec.type === 'boolean') {
      if (inline !== undefined) throw new CliUsageError(`--${name} takes no value (got '${inline}')`);
      value = true;
    } else if (inline !== undefined) {
      value = convert(spec, inline);
    } else {
      const next = args[i + 1];
      if (next === undefined || next.startsWith('--')) {
        if (spec.bareValue === undefined) {
          const accepted = spec.type === 'enum' ? `one of: ${(spec.values ?? []).join(', ')}` : `<${spec.valueName ?? spec.type}>`;
          throw new CliUsageError(`--${name} needs a value: ${accepted}`);
        }
        value = spec.bareValue;
      } else {
        value = convert(spec, next);
        i++;
      }
    }
    const previous = values[name];
    if (spec.repeatable) {
      values[name] = [...(Array.isArray(previous) ? previous : []), String(value)];
    } else if (previous !== undefined) {
      throw new CliUsageError(`--${name} given twice`);
    } else {
      values[name] = value;
    }
  }
  return values;
}
