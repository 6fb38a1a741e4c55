/**
 * What `npm start` prints on a terminal: where to play, where the docs are, where the data is,
 * which models answer, and how to stop.
 * @module
 */
import { resolve } from 'node:path';
import type { Env } from '../config/env.js';
import { CODE_ORIGIN, CODE_VERSION } from '../runtime/code-version.js';

export interface BannerInput {
  role: 'all' | 'serve';
  url: string;
  /** Whether the web client is served at `/`. */
  webClient: boolean;
}

/** Host, port and database of a URL, never its password. */
function describeDatabase(url: string): string {
  try {
    const u = new URL(url);
    return `PostgreSQL ${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname}`;
  } catch {
    return 'PostgreSQL';
  }
}

export function formatBanner(env: Env, input: BannerInput): string {
  const model = (v: string | undefined) => v || 'offline (built in, no API key)';
  const lines = [
    `mock-drama (${input.role}) is ready at ${input.url}`,
    '',
    ...(input.webClient ? [`  Play:    ${input.url}/`] : []),
    `  Docs:    ${input.url}/docs`,
    `  Data:    ${env.DATABASE_URL ? describeDatabase(env.DATABASE_URL) : resolve(env.DATA_DIR)}`,
    `  Models:  narrator ${model(env.NARRATOR_MODEL)}; judge ${model(env.JUDGE_MODEL)}; embeddings ${model(env.EMBEDDING_MODEL)}`,
    `  Code:    ${CODE_VERSION}, ${CODE_ORIGIN === 'dist' ? 'compiled (dist/)' : 'TypeScript sources through tsx (`npm run build` starts faster)'}`,
    '  Stop:    Ctrl+C',
  ];
  return `\n${lines.join('\n')}\n\n`;
}
