/**
 * What `@ai-sdk/anthropic` actually sends for our context: a local HTTP server stands in for the
 * Messages API (no network) and records each request body.
 */
import { createAnthropic } from '@ai-sdk/anthropic';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { englishTurn } from './__fixtures__/turn-context.js';
import { createJudge } from './judge.js';
import { AnthropicMessagesModel } from './chat/anthropic-messages.js';
import { createNarrator } from './narrator.js';

const DECISION = { choiceIndex: 0, variableUpdates: [], memories: [], summary: 'You climb.' };
const USAGE = { input_tokens: 20, cache_creation_input_tokens: 0, cache_read_input_tokens: 300 };
const bodies: Record<string, unknown>[] = [];
let server: Server;
let baseURL: string;

function sse(res: ServerResponse, events: Record<string, unknown>[]): void {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  for (const e of events) res.write(`event: ${String(e.type)}\ndata: ${JSON.stringify(e)}\n\n`);
  res.end();
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  let raw = '';
  for await (const chunk of req) raw += String(chunk);
  const body = JSON.parse(raw) as { stream?: boolean; tools?: { name: string }[]; model: string };
  bodies.push(body);
  const message = { id: 'msg_1', type: 'message', role: 'assistant', model: body.model, stop_sequence: null };
  if (body.stream) {
    return sse(res, [
      { type: 'message_start', message: { ...message, content: [], stop_reason: null, usage: { ...USAGE, output_tokens: 1 } } },
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'You climb.' } },
      { type: 'content_block_stop', index: 0 },
      { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 3 } },
      { type: 'message_stop' },
    ]);
  }
  // Structured output comes back as JSON text or as the forced `json` tool, depending on the model.
  const tool = body.tools?.[0];
  const content = tool ? [{ type: 'tool_use', id: 'toolu_1', name: tool.name, input: DECISION }] : [{ type: 'text', text: JSON.stringify(DECISION) }];
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ ...message, content, stop_reason: tool ? 'tool_use' : 'end_turn', usage: { ...USAGE, output_tokens: 9 } }));
}

beforeAll(async () => {
  server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('Anthropic prompt caching', () => {
  const models = {
    // What the server runs: Messages spoken directly.
    direct: () => new AnthropicMessagesModel({ baseURL, apiKey: 'test-key', modelId: 'claude-sonnet-4-5' }),
    // Any AI SDK model still works, through its doStream/doGenerate.
    'AI SDK provider': () => createAnthropic({ baseURL, apiKey: 'test-key' })('claude-sonnet-4-5'),
  };
  it.each(Object.entries(models))('marks the end of the stable system prompt with cache_control, and nothing volatile (%s)', async (_name, make) => {
    bodies.length = 0;
    const model = make();
    const context = englishTurn('I climb', 'do', { storyInstructions: 'Keep it eerie.' });
    const info = await createNarrator({ model }).narrate(context, { onText: () => undefined });
    const { raw } = await createJudge({ model }).judge(context, 'You climb.');
    expect(raw).toEqual(DECISION);

    expect(bodies).toHaveLength(2);
    for (const body of bodies) {
      const system = body.system as { type: string; text: string; cache_control?: unknown }[];
      expect(system).toHaveLength(1);
      expect(system[0]!.cache_control).toEqual({ type: 'ephemeral' });
      expect(JSON.stringify(body.messages)).not.toContain('cache_control');
      expect((body.messages as { role: string }[]).map((m) => m.role)).toEqual(['user']);
    }
    const narratorSystem = (bodies[0]!.system as { text: string }[])[0]!.text;
    expect(narratorSystem).toContain('<story_instructions>\nKeep it eerie.\n</story_instructions>');
    // The trace holds what was sent, and the provider's cache hits come back as cachedInputTokens.
    expect(info.cachedInputTokens).toBe(300);
    expect((info.request!.messages as { content: string }[])[0]!.content).toBe(narratorSystem);
  });
});
