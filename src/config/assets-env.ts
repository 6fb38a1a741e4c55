/**
 * Story assets and Supabase Realtime settings (README "Story assets" and "Supabase Realtime").
 * Part of the one schema in env.ts; only env.ts reads the environment.
 * @module
 */
import { z } from 'zod';

const int = (def: number, min = 0) => z.coerce.number().int().min(min).default(def);

export const assetsEnv = {
  /** Largest story asset (image or audio) in bytes; larger uploads get 413. */
  ASSET_MAX_BYTES: int(10_485_760, 1024),
  /** Bytes of assets one user may hold across their stories (0 = no limit); past it uploads get 403. */
  ASSET_QUOTA_BYTES: int(104_857_600, 0),
  /** One URL instead of the S3_* settings: `s3://KEY:SECRET@host[:port]/bucket[/prefix]` (HTTPS; `s3+http://` for plain HTTP), or `file:///dir` for a directory of its own. */
  STORAGE_URL: z
    .string()
    .regex(/^(s3|s3\+http|file):\/\//, 'must be s3://KEY:SECRET@host/bucket, s3+http://… or file:///dir')
    .optional(),
  /** Set → assets go to this S3-compatible endpoint (Supabase Storage `https://<ref>.supabase.co/storage/v1/s3`, MinIO, R2, AWS); unset → `<DATA_DIR>/assets`. */
  S3_ENDPOINT: z.url().optional(),
  S3_BUCKET: z.string().min(1).default('mock-drama'),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  /** Key prefix inside the bucket, so a bucket can be shared. */
  S3_PREFIX: z.string().default(''),
};

export const realtimeEnv = {
  /** `on`: every session event is also broadcast to Supabase Realtime channel `session:<id>` (needs SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY). */
  SUPABASE_REALTIME: z.enum(['on', 'off']).default('off'),
  /** The Supabase project's service role key: authorizes Realtime broadcasts. Server side only. */
  SUPABASE_SERVICE_ROLE_KEY: z.string().min(1).optional(),
  /** Attempts per Realtime broadcast before it is dropped (counted and logged). */
  REALTIME_ATTEMPTS: int(3, 1),
};
