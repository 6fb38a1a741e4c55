/**
 * Turn modes with players on real WebSockets against a listening server: the free line (three
 * players at once, every watcher sees every turn in one order), a vote that closes as soon as
 * every online player has voted, presence (online, offline) and typing (relayed once per 2 s,
 * never for a spectator).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/runtime/start-server.js';
import { silentLogger } from '../../src/shared/logger.js';
import { api, openEvents, type EventSocket } from '../support/clients.js';
import { eventually, testServerEnv } from '../support/test-env.js';

let server: RunningServer;
let storyId: string;
beforeAll(async () => {
  server = await startServer(testServerEnv({ JWT_SECRET: 'turn-modes-secret-turn-modes-secret-0123', OFFLINE_LATENCY_MS: '300', VOTE_WINDOW_S: '60' }), silentLogger());
  const guest = (await api(server.url)('POST', '/api/auth/guest')).body.token as string;
  storyId = (await api(server.url, guest)('GET', '/api/stories')).body.stories.find((s: { slug: string }) => s.slug === 'vault').id;
}, 60_000);
afterAll(() => server?.shutdown());

interface Person {
  token: string;
  userId: string;
  call: ReturnType<typeof api>;
  socket?: EventSocket;
}

async function person(): Promise<Person> {
  const { token, user_id: userId } = (await api(server.url)('POST', '/api/auth/guest')).body as { token: string; user_id: string };
  return { token, userId, call: api(server.url, token) };
}

/** An owner, `players` players and a spectator, every one watching the session over a WebSocket. */
async function table(players: number) {
  const owner = await person();
  const sessionId = (await owner.call('POST', '/api/sessions', { story_id: storyId })).body.session_id as string;
  const code = (await owner.call('POST', `/api/sessions/${sessionId}/invites`, { role: 'player' })).body.code as string;
  const watchCode = (await owner.call('POST', `/api/sessions/${sessionId}/invites`, { role: 'spectator' })).body.code as string;
  const others: Person[] = [];
  for (let i = 0; i < players; i++) {
    const p = await person();
    await p.call('POST', `/api/invites/${code}/join`);
    await p.call('PATCH', `/api/sessions/${sessionId}/members/me`, { display_name: `Player ${i + 1}` });
    others.push(p);
  }
  const spectator = await person();
  await spectator.call('POST', `/api/invites/${watchCode}/join`);
  for (const p of [owner, ...others, spectator]) p.socket = await openEvents(`${server.url.replace('http', 'ws')}/ws/story/${sessionId}?token=${p.token}`);
  return { owner, players: others, spectator, sessionId, everyone: [owner, ...others, spectator] };
}

const completedOrder = (socket: EventSocket) => socket.events.filter((e) => e.type === 'turn.completed').map((e) => e.task_id);

describe('free mode over WebSockets', () => {
  it('three players at once: one turn each, in the order the line gave them, and every watcher sees the same', async () => {
    const { owner, players, spectator, sessionId, everyone } = await table(2);
    try {
      const sent = await Promise.all([owner, ...players].map((p, i) => p.call('POST', '/api/story/action', { session_id: sessionId, user_input: `action ${i}` })));
      expect(sent.map((r) => r.status)).toEqual([202, 202, 202]);
      expect(sent.filter((r) => r.body.status === 'processing')).toHaveLength(1);
      expect(sent.filter((r) => r.body.status === 'queued').map((r) => r.body.position).sort()).toEqual([1, 2]);
      const expected = [...sent].sort((a, b) => (a.body.position ?? 0) - (b.body.position ?? 0)).map((r) => r.body.task_id);
      for (const p of everyone) await eventually(() => (completedOrder(p.socket!).length === 3 ? true : undefined), 20_000, 'three turns');
      for (const p of everyone) expect(completedOrder(p.socket!)).toEqual(expected);
      const turns = (await spectator.call('GET', `/api/sessions/${sessionId}/turns`)).body.turns as { task_id: string; user_id: string }[];
      expect(turns.slice(1).map((t) => t.task_id)).toEqual(expected);
      const byTask = new Map(sent.map((r, i) => [r.body.task_id, [owner, ...players][i]!.userId]));
      expect(turns.slice(1).map((t) => t.user_id)).toEqual(expected.map((id) => byTask.get(id)));
      // The line was announced to everyone, with names.
      const queued = owner.socket!.events.filter((e) => e.type === 'turn.queued');
      expect(queued.map((e) => e.position)).toEqual([1, 2]);
    } finally {
      for (const p of everyone) p.socket?.close();
    }
  });
});

describe('round mode over WebSockets', () => {
  it('three players at once: only the one whose turn it is acts, and every watcher hears whose turn is next', async () => {
    const { owner, players, sessionId, everyone } = await table(2);
    try {
      await owner.call('PATCH', `/api/sessions/${sessionId}`, { turn_mode: 'round' });
      const order = [owner, ...players];
      const sent = await Promise.all(order.map((p, i) => p.call('POST', '/api/story/action', { session_id: sessionId, user_input: `round ${i}` })));
      // Whatever the timing, the accepted ones are the first players in join order (each was
      // accepted once the one before them had acted), and every other one is refused as out of turn.
      const accepted = sent.findIndex((r) => r.status !== 202);
      const taken = accepted === -1 ? 3 : accepted;
      expect(taken).toBeGreaterThanOrEqual(1);
      for (const r of sent.slice(taken)) expect(r.body.error.code).toBe('not_your_turn');
      for (const p of everyone) await p.socket!.until((e) => e.type === 'round.next' && e.user_id === order[taken % 3]!.userId);
      await eventually(() => (owner.socket!.events.filter((e) => e.type === 'turn.completed').length === taken ? true : undefined), 15_000, 'the accepted turns');
      const turns = (await owner.call('GET', `/api/sessions/${sessionId}/turns`)).body.turns as { user_id: string }[];
      expect(turns.slice(1).map((t) => t.user_id)).toEqual(order.slice(0, taken).map((p) => p.userId));
    } finally {
      for (const p of everyone) p.socket?.close();
    }
  });
});

describe('vote mode over WebSockets', () => {
  it('closes as soon as every online player has voted, and the one turn names each of them', async () => {
    const { owner, players, sessionId, everyone } = await table(2);
    try {
      await owner.call('PATCH', `/api/sessions/${sessionId}`, { turn_mode: 'vote' });
      const votes = [];
      for (const [i, p] of [players[0]!, owner, players[1]!].entries()) votes.push(await p.call('POST', '/api/story/action', { session_id: sessionId, user_input: `vote ${i}` }));
      // The window is 60 s; the third vote (every online player's in) closes it at once.
      const done = await owner.socket!.until((e) => e.type === 'turn.completed', 15_000);
      expect((done.result as { input: string }).input).toBe('Player 1: vote 0\nHost: vote 1\nPlayer 2: vote 2');
      expect(owner.socket!.events.filter((e) => e.type === 'vote.cast').map((e) => e.votes)).toEqual([1, 2, 3]);
      for (const v of votes) expect((await owner.call('GET', `/api/story/status/${v.body.task_id}`)).body).toMatchObject({ status: 'completed', result: { turn_no: 1 } });
    } finally {
      for (const p of everyone) p.socket?.close();
    }
  });
});

describe('presence and typing', () => {
  it('online and offline follow the sockets; typing is relayed at most every 2 s and never for a spectator', async () => {
    const { owner, players, spectator, sessionId, everyone } = await table(1);
    try {
      const player = players[0]!;
      await owner.socket!.until((e) => e.type === 'member.online' && e.user_id === player.userId);
      await owner.socket!.until((e) => e.type === 'member.online' && e.user_id === spectator.userId);
      player.socket!.send('{"type":"typing"}');
      player.socket!.send('{"type":"typing"}');
      spectator.socket!.send('{"type":"typing"}');
      await owner.socket!.until((e) => e.type === 'member.typing');
      // A later event from the same bus as a barrier: the player acts.
      const acted = await player.call('POST', '/api/story/action', { session_id: sessionId, user_input: 'I whisper' });
      await owner.socket!.until((e) => e.type === 'turn.completed' && e.task_id === acted.body.task_id, 15_000);
      expect(owner.socket!.events.filter((e) => e.type === 'member.typing').map((e) => e.user_id)).toEqual([player.userId]);

      player.socket!.close();
      const offline = await owner.socket!.until((e) => e.type === 'member.offline');
      expect(offline.user_id).toBe(player.userId);
      const { members } = (await owner.call('GET', `/api/sessions/${sessionId}/members`)).body as { members: { user_id: string; online: boolean }[] };
      expect(members.find((m) => m.user_id === player.userId)?.online).toBe(false);
    } finally {
      for (const p of everyone) p.socket?.close();
    }
  });
});
