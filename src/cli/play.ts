/**
 * The terminal player: the same pipeline as the server (queue, judge, commit, events), with
 * narration streamed to stdout as it is produced.
 * @module
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import { loadEnv, loadLogLevel } from '../config/env.js';
import type { TurnEvent } from '../domain/ports/event-bus.js';
import type { ActionKind, StoryView } from '../domain/types.js';
import { createRuntime } from '../runtime/create-runtime.js';
import { createLogger } from '../shared/logger.js';

const PLAYER = 'local-player';

const HELP_LINE = 'Type what you do. "text or say … to speak, /story … to write the story, Enter to continue, /quit to leave.';

function parseLine(line: string): { action: ActionKind; input: string } {
  const text = line.trim();
  if (text === '') return { action: 'continue', input: '' };
  if (text.startsWith('"')) return { action: 'say', input: text.replace(/^"|"$/g, '') };
  if (/^say\s/i.test(text)) return { action: 'say', input: text.slice(4) };
  if (/^\/story\s/i.test(text)) return { action: 'story', input: text.slice(7) };
  return { action: 'do', input: text };
}

function showView(out: NodeJS.WritableStream, view: Pick<StoryView, 'text' | 'choices' | 'ended'>): void {
  if (view.text) out.write(`\n${view.text}\n`);
  if (view.ended) {
    out.write('\n— THE END —\n');
    return;
  }
  if (view.choices.length > 0) {
    out.write('\nThe story offers:\n');
    for (const c of view.choices) out.write(`  ${c.index + 1}. ${c.text}\n`);
  }
}

/** Waits for the end of one turn while printing its events. */
function turnPrinter(out: NodeJS.WritableStream) {
  let settle: ((ended: boolean) => void) | null = null;
  let attempt = 0;
  const onEvent = (event: TurnEvent) => {
    if (event.type === 'turn.started') {
      if (event.attempt > 1) out.write(`\n(retrying, attempt ${event.attempt})\n`);
      attempt = event.attempt;
    } else if (event.type === 'narration.delta') out.write(event.text);
    else if (event.type === 'turn.completed') {
      out.write('\n');
      const s = event.result.updated_state;
      if (event.result.decision.choiceIndex === null && !s.ended) out.write('\n(The story waits for you.)\n');
      showView(out, { text: s.text, choices: s.choices, ended: s.ended });
      settle?.(s.ended);
    } else if (event.type === 'turn.retrying') out.write(`\n(${event.error.message}; retrying in ${Math.round(event.delayMs / 1000)} s)\n`);
    else if (event.type === 'turn.failed') {
      out.write(`\n[turn failed: ${event.error.code}: ${event.error.message}]\n`);
      settle?.(false);
    }
  };
  const next = () => new Promise<boolean>((resolve) => (settle = resolve));
  return { onEvent, next, get attempt() { return attempt; } };
}

export async function runPlay(args: string[]): Promise<number> {
  const file = args[0];
  if (!file) {
    console.error('Usage: mock-drama play <story.ink>');
    return 2;
  }
  const env = loadEnv();
  const logger = createLogger(loadLogLevel('warn'));
  const source = await readFile(file, 'utf8');
  const out = process.stdout;
  const runtime = await createRuntime(env, { logger, installStories: false });
  try {
    process.stderr.write(`Compiling ${file}…\n`);
    const story = await runtime.service.installStory({ source, slug: basename(file, '.ink'), ownerId: null }).catch((err) => {
      for (const e of (err.details ?? []) as { line: number; message: string }[]) console.error(`${file}:${e.line}: ${e.message}`);
      throw err;
    });
    const { session, opening } = await runtime.service.startSession(PLAYER, story.id);
    out.write(`\n=== ${story.title} ===\n${HELP_LINE}\n`);
    showView(out, opening.updated_state);
    if (opening.updated_state.ended) return 0;
    const printer = turnPrinter(out);
    const sub = await runtime.deps.bus.subscribe(session.id, printer.onEvent);
    const rl = createInterface({ input: process.stdin, output: out, terminal: process.stdin.isTTY === true });
    rl.setPrompt('\n> ');
    rl.prompt();
    for await (const line of rl) {
      if (/^\/(quit|exit)$/i.test(line.trim())) break;
      const { action, input } = parseLine(line);
      const done = printer.next();
      try {
        await runtime.service.submitAction({ ownerId: PLAYER, sessionId: session.id, input, action });
      } catch (err) {
        out.write(`[${(err as Error).message}]\n`);
        rl.prompt();
        continue;
      }
      if (await done) break;
      rl.prompt();
    }
    rl.close();
    sub.unsubscribe();
    return 0;
  } finally {
    await runtime.close();
  }
}
