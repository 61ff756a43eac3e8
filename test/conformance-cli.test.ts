import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../conformance/cli.js';

// `npm run conformance` on the in-process emulator: where its JSON report goes (issue 20, item 5).
// One small fixture keeps each run short.
const FILTER = ['--filter', 'converse/unknown-model'];
const scratch = mkdtempSync(join(tmpdir(), 'conformance-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function run(args: string[]) {
  const lines: string[] = [];
  const code = await main(args, (line) => lines.push(line));
  return { code, output: lines.join('\n') };
}

describe('npm run conformance: the report', () => {
  it('goes to a fresh temporary folder by default, with its path printed, and nothing is left in the working directory', async () => {
    const before = readdirSync(process.cwd()).sort();
    const { code, output } = await run(FILTER);
    expect(code).toBe(0);
    const path = /^Report: (.+)$/m.exec(output)?.[1];
    expect(path).toBeDefined();
    expect(path?.startsWith(tmpdir())).toBe(true);
    const report = JSON.parse(readFileSync(path ?? '', 'utf8'));
    expect(report).toMatchObject({ target: 'emulator', summary: { fixtures: 1, agree: 1 } });
    expect(readdirSync(process.cwd()).sort()).toEqual(before);
    rmSync(dirname(path ?? ''), { recursive: true, force: true });
  });

  it('goes where --out says, creating its folder (--report, the old name, too)', async () => {
    const out = join(scratch, 'nested', 'folder', 'report.json');
    const { code, output } = await run([...FILTER, '--out', out]);
    expect(code).toBe(0);
    expect(output).toContain(`Report: ${out}`);
    expect(JSON.parse(readFileSync(out, 'utf8')).summary.fixtures).toBe(1);

    const old = join(scratch, 'old-name.json');
    expect((await run([...FILTER, '--report', old])).code).toBe(0);
    expect(existsSync(old)).toBe(true);
  });

  it('refuses an --out it cannot write before running anything, with a clear message and no stack trace', async () => {
    const file = join(scratch, 'a-file');
    writeFileSync(file, '');
    const underFile = await run([...FILTER, '--out', join(file, 'report.json')]);
    expect(underFile.code).toBe(2);
    expect(underFile.output).toMatch(/^--out .+: can't write there \((EEXIST|ENOTDIR): [^\n]+\)$/);
    expect(underFile.output).not.toMatch(/Replaying|\n\s+at /);

    const folder = await run([...FILTER, '--out', scratch]);
    expect(folder.code).toBe(2);
    expect(folder.output).toBe(`--out ${scratch}: is a directory; give a file name`);
  });
});
