/**
 * A client in another language: boto3 (test/python/boto3_check.py) against the emulator the
 * CLI starts (SigV4-signed, as boto3 always signs), then the same request bodies replayed on
 * the library API (createBedrockEmulator in process): the numbers boto3 parsed, the CLI's
 * `--log json` lines and the library's must all agree.
 *
 * The interpreter is the first of $BOTO3_PYTHON, `python3` on PATH, /usr/bin/python3 whose
 * boto3 has bedrock-runtime's Converse. Debian 12's python3-boto3 (1.26, botocore 1.29) predates
 * bedrock-runtime altogether, so it is only a fallback. Locally the test is skipped, saying why,
 * when none qualifies; with CI=true it fails instead.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createBedrockEmulator, type EmulatorOperation } from '../src/emulator';
import { startEmulatorCli, type CliProcess } from './cli-process';

const script = fileURLToPath(new URL('./python/boto3_check.py', import.meta.url));
const PROBE = "import boto3; c = boto3.client('bedrock-runtime', region_name='us-east-1'); assert hasattr(c, 'converse'), 'boto3 ' + boto3.__version__ + ' has no Converse'";

/** The first interpreter whose boto3 can call Converse, and why the others can't. */
function findPython(): { python?: string; tried: string[] } {
  const candidates = [...new Set([process.env.BOTO3_PYTHON, 'python3', '/usr/bin/python3'].filter((c): c is string => !!c))];
  const tried: string[] = [];
  for (const candidate of candidates) {
    try {
      execFileSync(candidate, ['-c', PROBE], { stdio: ['ignore', 'ignore', 'pipe'] });
      return { python: candidate, tried };
    } catch (error) {
      // the last line of the traceback, without botocore's list of every service it knows
      const last = String((error as { stderr?: Buffer }).stderr ?? error).trim().split('\n').pop() ?? '';
      tried.push(`${candidate}: ${last.replace(/ Valid service names are:.*/, '').slice(0, 200)}`);
    }
  }
  return { tried };
}

const { python, tried } = findPython();
const reason = `no python3 with a boto3 that has bedrock-runtime Converse (${tried.join('; ')}); set BOTO3_PYTHON`;
if (!python && process.env.CI === 'true') throw new Error(`boto3 check cannot run in CI: ${reason}`);
if (!python) console.warn(`test/cli-boto3.test.ts skipped: ${reason}`);

const PATHS: Record<EmulatorOperation, string> = {
  Converse: 'converse',
  ConverseStream: 'converse-stream',
  InvokeModel: 'invoke',
  InvokeModelWithResponseStream: 'invoke-with-response-stream',
};

interface Boto3Call {
  name: string;
  operation: EmulatorOperation;
  modelId: string;
  body: unknown;
  usage?: { inputTokens: number; outputTokens: number; cacheReadInputTokens: number; cacheWriteInputTokens: number };
  error?: { code: string; message: string; status: number };
}

let cli: (CliProcess & { env: Record<string, string> }) | undefined;
afterAll(() => {
  cli?.child.kill('SIGTERM');
});

describe.skipIf(!python)('boto3 against the CLI emulator', () => {
  it('Converse write → read, ConverseStream, InvokeModel (+ stream), five checkpoints rejected: the same numbers as the library API', async () => {
    cli = await startEmulatorCli(['--access-key-id', 'AKIDBOTO3', '--secret-access-key', 'boto3-secret', '--log', 'json']);
    // only what the CLI printed reaches boto3: no profile, no other AWS variable of this machine
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_')));
    const stdout = execFileSync(python!, [script], { env: { ...env, ...cli.env }, encoding: 'utf8' });
    const { calls } = JSON.parse(stdout) as { calls: Boto3Call[] };
    expect(calls.map((call) => call.name)).toEqual([
      'converse-write',
      'converse-read',
      'converse-stream',
      'invoke-write',
      'invoke-read',
      'invoke-stream',
      'five-checkpoints',
    ]);

    // the CLI's request log: one JSON line per request, in order
    await cli.waitFor('stderr', new RegExp(`(^\\{.*\\}\\n){${calls.length}}`, 'm'));
    const logged = cli.stderr().split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line));

    // the same bodies on the library API
    const library = createBedrockEmulator();
    for (const call of calls) {
      const url = `http://bedrock.test/model/${encodeURIComponent(call.modelId)}/${PATHS[call.operation]}`;
      const response = await library.handle(new Request(url, { method: 'POST', body: JSON.stringify(call.body), headers: { 'content-type': 'application/json' } }));
      await response.arrayBuffer();
    }

    calls.forEach((call, i) => {
      const expected = library.requests[i]!;
      expect({ operation: logged[i].operation, status: logged[i].status }).toEqual({ operation: call.operation, status: expected.status });
      if (call.error) {
        expect(call.error).toEqual({ code: expected.errorType, message: expected.message, status: expected.status });
        expect(call.error.message).toContain('A maximum of 4 blocks with cache_control may be provided. Found 5.');
        expect(logged[i]).toMatchObject({ errorType: call.error.code, message: call.error.message });
        return;
      }
      const { cacheDetails: _, ...usage } = expected.usage!;
      expect({ call: call.name, ...call.usage }).toEqual({ call: call.name, ...usage });
      expect(logged[i]).toMatchObject(usage);
    });
    // the cache worked across boto3's calls (the script checks more; these are the headline)
    const [write, read] = calls;
    expect(write!.usage!.cacheWriteInputTokens).toBeGreaterThan(1024);
    expect(read!.usage!.cacheReadInputTokens).toBe(write!.usage!.cacheWriteInputTokens);
  });
});
