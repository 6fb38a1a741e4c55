import { loadLogLevel } from '../config/env.js';
import { ensureWebClientBuilt } from '../runtime/web-client-build.js';
import { createLogger } from '../shared/logger.js';

/** `mock-drama build-web [--force]`: build web/dist now (npm install runs it; `npm start` checks again). */
export async function runBuildWeb(args: string[]): Promise<number> {
  const logger = createLogger(loadLogLevel('info'), { role: 'build-web' });
  const outcome = await ensureWebClientBuilt(logger, { force: args.includes('--force') });
  process.stderr.write(
    {
      fresh: 'The web client in web/dist is up to date.\n',
      built: 'Built the web client into web/dist.\n',
      'no-sources': 'No web client sources (web/index.html); nothing to build.\n',
      failed: 'Building the web client failed (see above).\n',
    }[outcome],
  );
  return outcome === 'failed' ? 1 : 0;
}
