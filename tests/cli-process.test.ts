/**
 * The test harness's CLI runner (tests/support/cli-process.ts) starts a long-running command
 * again when V8 aborted it while starting, and only then: a real failure must still fail the test.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { startCliReady, type CliProcess } from './support/cli-process.js';

const bin = 'tests/fixtures/aborts-once.mjs';
const ready = { stream: 'stderr' as const, pattern: /ready at (http:\S+)/, ms: 10_000 };
const dir = mkdtempSync(join(tmpdir(), 'md-cli-process-'));
const started: CliProcess[] = [];

afterAll(() => {
  for (const p of started) p.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('startCliReady', () => {
  it('starts a command once more when V8 aborted it before it was ready', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { proc, match } = await startCliReady([], { ABORT_MARKER: join(dir, 'aborted') }, ready, { bin });
    started.push(proc);
    expect(match[1]).toBe('http://127.0.0.1:1');
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toContain('aborted by V8');
    warn.mockRestore();
  });

  it('gives up after a second abort, and does not retry any other failure', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    await expect(startCliReady([], { ALWAYS_ABORT: '1' }, ready, { bin })).rejects.toThrow(/Fatal error in/);
    expect(warn).toHaveBeenCalledTimes(1);
    warn.mockClear();
    await expect(startCliReady([], { EXIT_EARLY: '1' }, ready, { bin })).rejects.toThrow(/config_invalid/);
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
  });
});
