/**
 * CPU of long-term memory's recall alone (offline embedder, the story's cards, no stored
 * memories): N recalls over a few scenes, as the turns of many sessions in one story make them.
 * `npx tsx bench/tools/recall-cpu.ts --recalls 20000 --scenes 20`
 */
import type { Store } from '../../src/domain/ports/store.js';
import type { Summarizer } from '../../src/domain/ports/summarizer.js';
import { hashEmbedding } from '../../src/llm/offline/offline-embedding-model.js';
import { createLongTermMemory } from '../../src/memory/long-term-memory.js';
import { silentLogger } from '../../src/shared/logger.js';
import { num, parseFlags } from '../lib/args.js';

const flags = parseFlags(process.argv.slice(2), { recalls: 'value', scenes: 'value' }, 'npx tsx bench/tools/recall-cpu.ts [--recalls 20000] [--scenes 20]');
const recalls = num(flags, 'recalls', 20_000);
const sceneCount = Math.max(1, num(flags, 'scenes', 20));
const embedder = { modelId: 'offline-embedding', dimensions: 256, embed: (texts: string[]) => Promise.resolve(texts.map((t) => hashEmbedding(t))) };
const memory = createLongTermMemory({ store: {} as Store, embedder, summarizer: {} as Summarizer, logger: silentLogger() });
const passage = 'The lamp gutters in the wind as the keeper climbs the spiral stair, counting the steps he has counted a thousand times before. ';
const scenes = Array.from({ length: sceneCount }, (_, i) => `${passage.repeat(7)} Scene ${i}.`.slice(-1000));
const cards = Array.from({ length: 8 }, (_, i) => ({ name: `card ${i}`, keywords: [`word${i}`], text: `A card about thing number ${i}, the harbour and the lamp.` }));
const preload = { rows: 0, summary: null, cards: { count: 0, signature: '0::0' } };

const before = process.cpuUsage();
for (let i = 0; i < recalls; i++) {
  await memory.recall({ sessionId: `s${i % 300}`, storyId: 'story', turnNo: 2, input: `I do thing number ${i % 97}`, storyText: scenes[i % sceneCount]!, storyCards: cards, preload });
}
const used = process.cpuUsage(before);
console.log(JSON.stringify({ recalls, scenes: sceneCount, cpuUsPerRecall: +((used.user + used.system) / recalls).toFixed(1) }));
