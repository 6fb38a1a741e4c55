/**
 * CPU of the provider HTTP path alone, in a fresh process: N streamed chat calls (C at a time)
 * against the shared fake model, as a worker makes them. Prints this process's CPU ms per call.
 * `npx tsx bench/tools/model-http-cpu.ts --calls 600 --concurrency 100 --base-url http://127.0.0.1:8397/v1`
 */
import { OpenAIChatModel } from '../../src/llm/chat/openai-chat.js';
import { num, parseFlags, str } from '../lib/args.js';

const flags = parseFlags(process.argv.slice(2), { calls: 'value', concurrency: 'value', 'base-url': 'value' }, 'npx tsx bench/tools/model-http-cpu.ts [--calls 600] [--concurrency 100] [--base-url http://127.0.0.1:8397/v1]');
const calls = num(flags, 'calls', 600);
const concurrency = num(flags, 'concurrency', 100);
const model = new OpenAIChatModel({ provider: 'compat', modelId: 'fake', baseURL: str(flags, 'base-url', 'http://127.0.0.1:8397/v1'), apiKey: 'x' });
const messages = [{ role: 'system' as const, content: 'You narrate. '.repeat(80) }, { role: 'user' as const, content: 'I light the lamp. '.repeat(20) }];

let next = 0;
let chars = 0;
const before = process.cpuUsage();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < calls) {
      next++;
      const r = await model.stream({ messages }, (d) => void (chars += d.length));
      chars += r.text.length;
    }
  }),
);
const used = process.cpuUsage(before);
console.log(JSON.stringify({ calls, concurrency, cpuMsPerCall: +((used.user + used.system) / 1000 / calls).toFixed(3), chars }));
