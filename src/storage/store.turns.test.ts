import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { isDramaError } from '../domain/errors.js';
import { describeStore, type StoreHarness } from './__fixtures__/store-targets.js';
import { makeCommit, makeSession, makeStory } from './__fixtures__/store-fixtures.js';
import { packJson } from './repos/packed-json.js';

async function newSession(h: StoreHarness) {
  const story = await h.store.stories.saveStory(makeStory());
  const input = makeSession(story.id, story.currentVersion);
  const session = await h.store.sessions.createSession(input);
  return { story, input, session };
}

/** Everything a failed commit must leave untouched, as the database's own text. */
async function snapshot(h: StoreHarness, sessionId: string) {
  const [s] = await h.rows<{ row: string }>(sql`SELECT row_to_json(s)::text AS row FROM sessions s WHERE id = ${sessionId}`);
  const t = await h.rows<{ row: string }>(sql`SELECT row_to_json(t)::text AS row FROM turns t WHERE session_id = ${sessionId} ORDER BY turn_no`);
  const m = await h.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM memories WHERE session_id = ${sessionId}`);
  return { session: s?.row, turns: t.map((r) => r.row), memories: m[0]?.n };
}

describeStore('sessions and turns', (h) => {
  it('creates a session together with its opening as turn 0', async () => {
    const { input, session } = await newSession(h());
    expect(session).toMatchObject({ id: input.id, turnNo: 0, version: 0, status: 'active', view: input.view, inkState: input.inkState });
    expect(session.createdAt).toBeInstanceOf(Date);
    expect(await h().store.sessions.getSession(input.id)).toEqual(session);
    expect(await h().store.turns.getTurn(input.id, 0)).toEqual(input.opening);
    expect(await h().store.turns.recentTurns(input.id, 5)).toEqual([
      { turnNo: 0, input: '', action: 'continue', response: input.opening.response, storyText: input.opening.updated_state.text },
    ]);
  });

  it('rejects a session for a missing story and writes nothing', async () => {
    const input = makeSession('no-such-story', 'v');
    await expect(h().store.sessions.createSession(input)).rejects.toMatchObject({ code: 'story_not_found' });
    expect(await h().store.sessions.getSession(input.id)).toBeNull();
  });

  it('commits a turn: session advanced, turn stored, result rebuilt identically', async () => {
    const { input } = await newSession(h());
    const commit = makeCommit(input.id, 1, 0);
    const { result, duplicate } = await h().store.turns.commitTurn(commit);
    expect(duplicate).toBe(false);
    // As sent, but for the commit's own time, which the statement adds.
    const commitMs = result.timings.commit;
    // The database adds its time in numeric, so the total is compared as a number, not bit for bit.
    expect(result.timings.total).toBeCloseTo(commit.result.timings.total + commitMs, 6);
    expect(result).toEqual({ ...commit.result, timings: { ...commit.result.timings, commit: commitMs, total: result.timings.total } });
    const session = await h().store.sessions.getSession(input.id);
    expect(session).toMatchObject({ turnNo: 1, version: 1, inkState: commit.inkState, view: commit.view, status: 'active' });
    expect(session!.updatedAt.getTime()).toBeGreaterThanOrEqual(session!.createdAt.getTime());
    expect(await h().store.turns.getTurn(input.id, 1)).toEqual(result);
    expect(await h().store.turns.getTurnByTask(commit.result.taskId!)).toEqual(result);
    const [row] = await h().rows<{ ink_state: string }>(sql`SELECT ink_state FROM turns WHERE session_id = ${input.id} AND turn_no = 1`);
    expect(row?.ink_state).toBe(commit.inkState);
  });

  it('returns the committed turn for a duplicate task id and writes nothing', async () => {
    const { input } = await newSession(h());
    const first = makeCommit(input.id, 1, 0);
    const committed = await h().store.turns.commitTurn(first);
    const before = await snapshot(h(), input.id);
    // A retried job: same task, recomputed with a different narration, still at the old version.
    const retry = { ...makeCommit(input.id, 1, 0), result: { ...makeCommit(input.id, 1, 0).result, taskId: first.result.taskId, response: 'other' } };
    const again = await h().store.turns.commitTurn(retry);
    expect(again).toEqual({ result: committed.result, duplicate: true });
    // Even when it looks current (expected version matches), a known task id is never re-applied.
    const later = { ...retry, expectedVersion: 1, result: { ...retry.result, turnNo: 2 } };
    expect((await h().store.turns.commitTurn(later)).duplicate).toBe(true);
    expect(await snapshot(h(), input.id)).toEqual(before);
  });

  it('lets exactly one of two concurrent commits of the same task win', async () => {
    const { input } = await newSession(h());
    const a = makeCommit(input.id, 1, 0);
    const b = { ...makeCommit(input.id, 1, 0), result: { ...makeCommit(input.id, 1, 0).result, taskId: a.result.taskId } };
    const outcomes = await Promise.all([h().store.turns.commitTurn(a), h().store.turns.commitTurn(b)]);
    expect(outcomes.map((o) => o.duplicate).sort()).toEqual([false, true]);
    expect(outcomes[0]!.result).toEqual(outcomes[1]!.result);
    expect((await snapshot(h(), input.id)).turns).toHaveLength(2);
  });

  it('throws a retryable turn_conflict on a stale version and leaves every row unchanged', async () => {
    const { input } = await newSession(h());
    await h().store.turns.commitTurn(makeCommit(input.id, 1, 0));
    const before = await snapshot(h(), input.id);
    const stale = makeCommit(input.id, 2, 0, [{ text: 'x', importance: 5, kind: 'event', embedding: [1, 0] }]);
    const err = await h().store.turns.commitTurn(stale).catch((e: unknown) => e);
    expect(isDramaError(err) && err.code === 'turn_conflict' && err.retryable).toBe(true);
    expect(await snapshot(h(), input.id)).toEqual(before);
    expect(await h().store.turns.getTurnByTask(stale.result.taskId!)).toBeNull();
  });

  it('maps a turn-number clash to turn_conflict and a missing session to session_not_found', async () => {
    const { input } = await newSession(h());
    // Version matches but turn 0 already exists: the unique (session_id, turn_no) decides.
    await expect(h().store.turns.commitTurn(makeCommit(input.id, 0, 0))).rejects.toMatchObject({ code: 'turn_conflict', retryable: true });
    await expect(h().store.turns.commitTurn(makeCommit(randomUUID(), 1, 0))).rejects.toMatchObject({ code: 'session_not_found' });
  });

  it('pages turns, returns recent history oldest first, and records timings', async () => {
    const { input } = await newSession(h());
    for (let n = 1; n <= 5; n += 1) await h().store.turns.commitTurn(makeCommit(input.id, n, n - 1));
    expect((await h().store.turns.listTurns(input.id, { limit: 2 })).map((t) => t.turnNo)).toEqual([0, 1]);
    expect((await h().store.turns.listTurns(input.id, { afterTurnNo: 1, limit: 3 })).map((t) => t.turnNo)).toEqual([2, 3, 4]);
    expect(await h().store.turns.listTurns(input.id, { afterTurnNo: 5, limit: 3 })).toEqual([]);
    const recent = await h().store.turns.recentTurns(input.id, 3);
    expect(recent.map((t) => t.turnNo)).toEqual([3, 4, 5]);
    expect(recent[2]).toEqual({ turnNo: 5, input: 'input 5', action: 'do', response: expect.any(String), storyText: 'passage 5' });
  });

  it('stores the commit\'s own database time in the turn\'s timings, as returned, with no second write', async () => {
    const { input } = await newSession(h());
    const commit = makeCommit(input.id, 1, 0);
    commit.result.timings = { queueWait: 3, load: 9, narrate: 9, judge: 9, apply: 9, embed: 9, commit: 0, total: 50 };
    const { result } = await h().store.turns.commitTurn(commit);
    expect(result.timings.commit).toBeGreaterThanOrEqual(0);
    expect(result.timings.total).toBe(50 + result.timings.commit);
    expect(result.timings).toMatchObject({ queueWait: 3, load: 9, judge: 9 });
    expect((await h().store.turns.getTurn(input.id, 1))?.timings).toEqual(result.timings);
  });
});

describeStore('a turn\'s trace and recording', (h) => {
  const trace = { memories: [], narrator: { modelId: 'n', request: { messages: [{ role: 'user', content: '灯笼 — the lamp' }] } }, judge: { calls: [], answers: [] } };

  it('stores the trace compressed, outside the row, and reads it back; older jsonb traces still read', async () => {
    const { input } = await newSession(h());
    await h().store.turns.commitTurn({ ...makeCommit(input.id, 1, 0), trace });
    expect(await h().store.turns.getTrace(input.id, 1)).toEqual(trace);
    const [row] = await h().rows<{ packed: boolean; jsonb: boolean }>(
      sql`SELECT trace_gz IS NOT NULL AS packed, trace IS NOT NULL AS jsonb FROM turns WHERE session_id = ${input.id} AND turn_no = 1`,
    );
    expect(row).toEqual({ packed: true, jsonb: false });
    // A turn committed before migration 0019 kept its trace as jsonb.
    await h().store.turns.commitTurn(makeCommit(input.id, 2, 1));
    await h().rows(sql`UPDATE turns SET trace = ${JSON.stringify(trace)}::jsonb WHERE session_id = ${input.id} AND turn_no = 2`);
    expect(await h().store.turns.getTrace(input.id, 2)).toEqual(trace);
  });

  it('has the server compress traces and recordings with lz4 where it can, and compresses them itself where it cannot', async () => {
    const { input } = await newSession(h());
    // Large enough for TOAST to compress (over ~2 KB), as a real turn's are (8–10 KB each).
    const big = { ...trace, narrator: { modelId: 'n', request: { messages: [{ role: 'user', content: '灯笼 — the lamp. '.repeat(300) }] } } };
    const recording = { format: 1, turnNo: 1, input: 'I light the lamp', context: { storyText: 'The lamp is cold. '.repeat(200) } };
    await h().store.turns.commitTurn({ ...makeCommit(input.id, 1, 0), trace: big, recording: recording as never });
    expect(await h().store.turns.getTrace(input.id, 1)).toEqual(big);
    expect((await h().store.turns.recordings(input.id, {}))[0]?.recording).toEqual(recording);
    const columns = await h().rows<{ attname: string; attstorage: string; attcompression: string }>(
      sql`SELECT attname, attstorage, attcompression FROM pg_attribute WHERE attrelid = 'turns'::regclass AND attname IN ('trace_gz', 'recording') ORDER BY attname`,
    );
    const [stored] = await h().rows<{ trace_first: number; recording_first: number }>(
      sql`SELECT get_byte(trace_gz, 0) AS trace_first, get_byte(recording, 0) AS recording_first FROM turns WHERE session_id = ${input.id} AND turn_no = 1`,
    );
    if (h().target.name === 'postgres') {
      expect(h().opened.blobPacking).toBe('lz4');
      expect(columns).toEqual([
        { attname: 'recording', attstorage: 'x', attcompression: 'l' },
        { attname: 'trace_gz', attstorage: 'x', attcompression: 'l' },
      ]);
      // Sent as JSON text behind the raw tag; the server compressed both with lz4.
      expect(stored).toEqual({ trace_first: 0, recording_first: 0 });
      const [compression] = await h().rows<{ trace: string | null; recording: string | null }>(
        sql`SELECT pg_column_compression(trace_gz) AS trace, pg_column_compression(recording) AS recording FROM turns WHERE session_id = ${input.id} AND turn_no = 1`,
      );
      expect(compression).toEqual({ trace: 'lz4', recording: 'lz4' });
      // A row written by a brotli-packing process (before the migration) still reads.
      await h().rows(sql`UPDATE turns SET trace_gz = ${await packJson(trace)} WHERE session_id = ${input.id} AND turn_no = 1`);
      expect(await h().store.turns.getTrace(input.id, 1)).toEqual(trace);
    } else {
      // PGlite has no lz4: the columns keep their storage as given (TOAST must not try to compress
      // brotli's bytes again) and the process compresses: a brotli stream with a 2^22 window.
      expect(h().opened.blobPacking).toBe('brotli');
      expect(columns).toEqual([
        { attname: 'recording', attstorage: 'e', attcompression: '' },
        { attname: 'trace_gz', attstorage: 'e', attcompression: '' },
      ]);
      expect([stored!.trace_first & 0x0f, stored!.recording_first & 0x0f]).toEqual([0x0b, 0x0b]);
    }
  });

  it('TRACE_RETENTION_DAYS clears the packed and the older traces alike', async () => {
    const { input } = await newSession(h());
    await h().store.turns.commitTurn({ ...makeCommit(input.id, 1, 0), trace });
    await h().store.turns.commitTurn(makeCommit(input.id, 2, 1));
    await h().rows(sql`UPDATE turns SET trace = '{}'::jsonb WHERE session_id = ${input.id} AND turn_no = 2`);
    expect(await h().store.turns.forgetRecordings(new Date(Date.now() + 60_000))).toBeGreaterThanOrEqual(2);
    expect(await h().store.turns.getTrace(input.id, 1)).toBeNull();
    expect(await h().store.turns.getTrace(input.id, 2)).toBeNull();
  });
});
