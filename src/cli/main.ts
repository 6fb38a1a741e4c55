/**
 * `mock-drama <command>`: the one entry point. Commands stay thin and call runtime/.
 * @module
 */
import { isDramaError } from '../domain/errors.js';

const HELP = `mock-drama — AI interactive fiction on ink stories

Usage:
  mock-drama all                      serve the API and run turns in one process (npm start)
  mock-drama serve                    web only: HTTP API, WebSocket, SSE (needs REDIS_URL, DATABASE_URL)
  mock-drama work                     worker only: runs turns from the queue (needs REDIS_URL, DATABASE_URL)
  mock-drama play <story.ink>         play a story in the terminal
  mock-drama stories compile <file>   check an ink file; prints errors with line numbers
  mock-drama build [--force]          compile src/ into dist/, which starts faster (npm install runs it)
  mock-drama build-web [--force]      build the web client into web/dist (when its sources changed)
  mock-drama replay --session <id> [--from n] [--to m] [--story-version <v>] [--live]
                                      re-run recorded turns without a model and print the report;
                                      what-if on another story version or with today's models
  mock-drama replay <bundle.json>     the same for a replay bundle, offline (no server, no database)
  mock-drama db enable-rls            Supabase: row-level security on every table (idempotent)
  mock-drama help                     this text

Configuration is read from the environment; see README.md.`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'all':
    case 'start':
    case 'serve': {
      const { runServer } = await import('./roles.js');
      return runServer(command === 'serve' ? 'serve' : 'all');
    }
    case 'work': {
      const { runWorker } = await import('./roles.js');
      return runWorker();
    }
    case 'play': {
      const { runPlay } = await import('./play.js');
      return runPlay(rest);
    }
    case 'build-web': {
      const { runBuildWeb } = await import('./build-web.js');
      return runBuildWeb(rest);
    }
    case 'db': {
      const { runDb } = await import('./db.js');
      return runDb(rest);
    }
    case 'replay': {
      const { runReplay } = await import('./replay.js');
      return runReplay(rest);
    }
    case 'stories': {
      const { runStories } = await import('./stories.js');
      return runStories(rest);
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(HELP);
      return 0;
    default:
      console.error(`Unknown command "${command}".\n\n${HELP}`);
      return 2;
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  // Expected failures (bad config, locked data dir…) get one clear line, not a stack trace.
  console.error(isDramaError(err) ? `mock-drama: ${err.message}` : err);
  process.exitCode = 1;
}
