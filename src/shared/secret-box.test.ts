import { describe, expect, it } from 'vitest';
import { createSecretBox, parseSecretKey } from './secret-box.js';

const key = Buffer.alloc(32, 1);

describe('secret box (AES-256-GCM)', () => {
  it('opens what it sealed, in the same context only; each seal has its own IV', () => {
    const box = createSecretBox(key);
    const a = box.seal('sk-secret-value', 'user-1/openai');
    expect(a).not.toContain('sk-secret');
    expect(box.seal('sk-secret-value', 'user-1/openai')).not.toBe(a);
    expect(box.open(a, 'user-1/openai')).toBe('sk-secret-value');
    expect(() => box.open(a, 'user-2/openai')).toThrow(/does not open/);
    expect(() => createSecretBox(Buffer.alloc(32, 2)).open(a, 'user-1/openai')).toThrow(/does not open/);
    const [v, iv, tag, body] = a.split('.');
    const flipped = Buffer.from(body!, 'base64url');
    flipped[0] = flipped[0]! ^ 1;
    expect(() => box.open([v, iv, tag, flipped.toString('base64url')].join('.'), 'user-1/openai')).toThrow(/does not open/);
  });

  it('takes a 32-byte key as 64 hex digits or base64, nothing else', () => {
    expect(parseSecretKey('ab'.repeat(32))?.length).toBe(32);
    expect(parseSecretKey(key.toString('base64'))?.equals(key)).toBe(true);
    expect(parseSecretKey(key.toString('base64url'))?.equals(key)).toBe(true);
    expect(parseSecretKey('too-short')).toBeNull();
    expect(parseSecretKey(Buffer.alloc(16).toString('base64'))).toBeNull();
  });
});
