/**
 * Recording a security-relevant act in the audit log, with the request it came from. The request
 * id is passed explicitly by the caller (the HTTP route): carrying it implicitly through
 * AsyncLocalStorage turned on Node 20's promise hooks for every request and cost ~20 % of a
 * turn's CPU in the cluster benchmark (bench/README.md).
 * @module
 */
import type { AuditAction, AuditStore } from './ports/audit-store.js';

/** Append one entry; the act has happened, so a store that cannot record it fails the request. */
export async function audit(store: { audit?: AuditStore }, actor: string, action: AuditAction, target: string, requestId: string | null = null): Promise<void> {
  await store.audit?.append({ actor, action, target, requestId });
}
