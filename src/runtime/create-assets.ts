/**
 * Story assets for a process: local disk under DATA_DIR by default, S3-compatible storage when
 * S3_ENDPOINT is set. See README "Story assets".
 * @module
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Env } from '../config/env.js';
import { AssetService } from '../domain/asset-service.js';
import type { DramaService } from '../domain/drama-service.js';
import { DramaError } from '../domain/errors.js';
import type { AssetStorage } from '../domain/ports/asset-storage.js';
import { LocalAssetStorage } from '../storage/assets/local-asset-storage.js';
import { S3AssetStorage } from '../storage/assets/s3-asset-storage.js';

/** STORAGE_URL as the S3_* settings it stands for (or a directory for `file://`). */
export function parseStorageUrl(raw: string): { dir: string } | { endpoint: string; bucket: string; prefix: string; accessKeyId: string; secretAccessKey: string } {
  const url = new URL(raw);
  if (url.protocol === 'file:') return { dir: fileURLToPath(url) };
  const [bucket, ...rest] = url.pathname.split('/').filter(Boolean);
  if (!bucket || !url.username || !url.password) throw new DramaError('config_invalid', 'STORAGE_URL must be s3://KEY:SECRET@host[:port]/bucket[/prefix]');
  const prefix = rest.length ? `${rest.map(decodeURIComponent).join('/')}/` : '';
  return { endpoint: `${url.protocol === 's3+http:' ? 'http' : 'https'}://${url.host}`, bucket: decodeURIComponent(bucket), prefix, accessKeyId: decodeURIComponent(url.username), secretAccessKey: decodeURIComponent(url.password) };
}

export function createAssetStorage(env: Env): AssetStorage {
  if (env.STORAGE_URL) {
    const target = parseStorageUrl(env.STORAGE_URL);
    return 'dir' in target ? new LocalAssetStorage(target.dir) : new S3AssetStorage({ ...target, region: env.S3_REGION });
  }
  // An in-memory database keeps its assets in a temporary directory (never a folder named ":memory:").
  if (!env.S3_ENDPOINT) return new LocalAssetStorage(env.DATA_DIR === ':memory:' ? mkdtempSync(join(tmpdir(), 'mock-drama-assets-')) : join(env.DATA_DIR, 'assets'));
  if (!env.S3_ACCESS_KEY_ID || !env.S3_SECRET_ACCESS_KEY) throw new DramaError('config_invalid', 'S3_ENDPOINT needs S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY');
  return new S3AssetStorage({ endpoint: env.S3_ENDPOINT, bucket: env.S3_BUCKET, region: env.S3_REGION, accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY, prefix: env.S3_PREFIX });
}

export function createAssets(env: Env, service: DramaService): AssetService {
  return new AssetService(createAssetStorage(env), service, { maxBytes: env.ASSET_MAX_BYTES, quotaBytes: env.ASSET_QUOTA_BYTES });
}
