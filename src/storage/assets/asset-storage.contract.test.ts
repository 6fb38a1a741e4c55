import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { afterAll, beforeAll } from 'vitest';
import { runAssetStorageContract } from './asset-storage.contract.js';
import { LocalAssetStorage } from './local-asset-storage.js';
import { S3AssetStorage } from './s3-asset-storage.js';

let dir = '';
let s3: S3rver | undefined;
let endpoint = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'assets-'));
  // A real S3-compatible server (the s3rver package, in process, on a free port) with one bucket.
  s3 = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: join(dir, 's3'), configureBuckets: [{ name: 'assets', configs: [] }] });
  const addr: AddressInfo = await s3.run();
  endpoint = `http://127.0.0.1:${addr.port}`;
});

afterAll(async () => {
  await s3?.close();
  await rm(dir, { recursive: true, force: true });
});

runAssetStorageContract('LocalAssetStorage', async () => new LocalAssetStorage(join(dir, 'local')));
runAssetStorageContract('S3AssetStorage (s3rver)', async () => new S3AssetStorage({ endpoint, bucket: 'assets', region: 'us-east-1', accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', prefix: 'test/' }));
