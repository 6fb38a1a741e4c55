/**
 * Named types of the API, all taken from the generated `openapi.d.ts` (never written by hand), so
 * a change to the server's schemas shows up here as a type error.
 * @module
 */
import type { components, paths } from './openapi.js';

export type { components, paths };
export type Schemas = components['schemas'];

export type Story = Schemas['Story'];
export type Session = Schemas['Session'];
export type SessionSummary = Schemas['SessionSummary'];
export type Turn = Schemas['Turn'];
/** One person of a shared session (`GET /api/sessions/{id}/members`). */
export type Member = Schemas['Member'];
export type StoryState = Schemas['StoryState'];
export type Choice = Schemas['Choice'];
export type ActionKind = Schemas['ActionKind'];
export type TaskStatus = Schemas['TaskStatus'];
/** The answer of `POST /api/sessions/{id}/cancel`. */
export type CancelledTask = Schemas['CancelledTask'];
export type Memory = Schemas['Memory'];
export type MemoryKind = Schemas['MemoryKind'];
export type Card = Schemas['Card'];
export type InkCard = Schemas['InkCard'];
export type LorebookImport = Schemas['LorebookImport'];
export type GuestToken = Schemas['GuestToken'];
export type GuestClaim = Schemas['GuestClaim'];
export type AuthConfig = Schemas['AuthConfig'];
/** The answer of `GET /api/stories/{id}/analytics`: a story's numbers from real play. */
export type StoryAnalytics = Schemas['StoryAnalytics'];
export type UserSettings = Schemas['UserSettings'];
export type ProviderKey = Schemas['ProviderKey'];
/** An exported session (`GET /api/sessions/{id}/export`), what `POST /api/sessions/import` takes. */
export type SessionDocument = Schemas['SessionDocument'];
/** A shared transcript (`GET /api/shared/{token}`). */
export type SharedTranscript = Schemas['SharedTranscript'];
/** The `error` object of every error body: `{ error: { code, message, details?, request_id? } }`. */
export type ApiErrorBody = Schemas['Error']['error'];

/** One event of a session's stream (WebSocket frame or SSE data). */
export type SessionEvent = Schemas['SessionEvent'];
export type SessionEventType = SessionEvent['type'];
/** The event of one type, e.g. `SessionEventOf<'narration.delta'>`. */
export type SessionEventOf<T extends SessionEventType> = Extract<SessionEvent, { type: T }>;
