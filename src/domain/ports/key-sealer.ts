/**
 * Seals secrets at rest (users' provider keys). `context` is bound into the ciphertext as
 * authenticated data — the user id and provider — so a sealed value copied to another user's row
 * or provider does not open. The implementation (shared/secret-box.ts) is AES-256-GCM with a
 * random IV per seal under the server's PROVIDER_KEY_SECRET.
 */
export interface KeySealer {
  seal(plaintext: string, context: string): string;
  /** Throws when the value was tampered with, moved to another context, or sealed under another secret. */
  open(sealed: string, context: string): string;
}

/** The authenticated data of a user's key for a provider. */
export function keyContext(userId: string, provider: string): string {
  return `provider-key\u0000${userId}\u0000${provider}`;
}
