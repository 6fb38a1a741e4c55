/**
 * Turn recordings are stored gzipped (they repeat the context and ink state, which compress well).
 * @module
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import type { TurnRecording } from '../../domain/turn-recording.js';

export function packRecording(recording: TurnRecording): Buffer {
  return gzipSync(JSON.stringify(recording));
}

export function unpackRecording(bytes: Uint8Array): TurnRecording {
  return JSON.parse(gunzipSync(bytes).toString('utf8')) as TurnRecording;
}
