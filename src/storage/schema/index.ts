/** All tables; drizzle-kit reads this file (see drizzle.config.ts). */
export { stories } from './stories.js';
export { storyVersions } from './story-versions.js';
export { sessions } from './sessions.js';
export { turns } from './turns.js';
export { memories } from './memories.js';
export { cards } from './cards.js';
export { apiKeys } from './api-keys.js';
export { suspendedUsers } from './suspended-users.js';
export { memoryStats } from './memory-stats.js';
export { guestClaims } from './guest-claims.js';
export { sessionInvites, sessionMembers } from './session-members.js';
export { userSettings } from './user-settings.js';
export { providerKeys } from './provider-keys.js';
export { sessionShares } from './session-shares.js';
export { sessionActions } from './session-actions.js';
export { auditLog } from './audit-log.js';
