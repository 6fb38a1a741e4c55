/**
 * Generates `sdk/openapi.d.ts` from the OpenAPI document of the app itself, built in-process
 * (no server, no database: route registration needs no live dependency).
 *
 *   npm run sdk:generate
 *
 * The drift test (sdk/openapi-drift.test.ts) runs the same generation and fails when the
 * committed file differs.
 * @module
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import type { HttpDeps } from '../src/http/app-context.js';
import { createHttpApp } from '../src/http/app.js';
import { silentLogger } from '../src/shared/logger.js';

export const SDK_TYPES_PATH = fileURLToPath(new URL('../sdk/openapi.d.ts', import.meta.url));

/** The app's `/openapi.json`, from an app whose dependencies are never called. */
export async function buildOpenApiDocument(): Promise<OpenAPI3> {
  // Routes may keep references to dependency members (deps.service.memory); only calling one is an error.
  const unused = (path: string): object =>
    new Proxy(() => undefined, {
      get: (_t, key) => (key === 'then' ? undefined : unused(`${path}.${String(key)}`)),
      apply: () => {
        throw new Error(`generate-sdk: the app called ${path}() while building its routes`);
      },
    });
  const deps = {
    service: unused('deps.service'),
    bus: unused('deps.bus'),
    auth: unused('deps.auth'),
    accounts: unused('deps.accounts'),
    settings: unused('deps.settings'),
    assets: unused('deps.assets'),
    logger: silentLogger(),
    limits: { maxBodyBytes: 65_536, maxInkSourceBytes: 1_000_000 },
    checkReady: async () => undefined,
    isDraining: () => false,
  } as unknown as HttpDeps;
  const res = await createHttpApp(deps).app.request('/openapi.json');
  if (res.status !== 200) throw new Error(`/openapi.json answered ${res.status}`);
  return (await res.json()) as OpenAPI3;
}

/** The TypeScript declarations openapi-typescript makes of the document. */
export async function renderSdkTypes(doc?: OpenAPI3): Promise<string> {
  const nodes = await openapiTS(doc ?? (await buildOpenApiDocument()), { alphabetize: false });
  return astToString(nodes);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const types = await renderSdkTypes();
  await writeFile(SDK_TYPES_PATH, types);
  process.stderr.write(`wrote ${SDK_TYPES_PATH} (${types.length} characters)\n`);
}
