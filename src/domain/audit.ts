/**
 * Recording a security-relevant act in the audit log, with the request it came from.
 * @module
 */
import { currentRequestId } from '../shared/request-scope.js';
import type { AuditAction, AuditStore } from './ports/audit-store.js';

/** Append one entry; the act has happened, so a store that cannot record it fails the request. */
export async function audit(store: { audit?: AuditStore }, actor: string, action: AuditAction, target: string): Promise<void> {
  await store.audit?.append({ actor, action, target, requestId: currentRequestId() });
}
