/**
 * Which narrator and judge play a turn, and how: the story's preferred models, then the player's
 * chosen narrator model (settings), on the player's own keys where they brought one for that
 * provider; and the player's temperature and passage length. Everything comes from the turn's
 * one load (the owner's row rides along): no statement of its own.
 * @module
 */
import type { NarrationTuning } from './ports/narrator.js';
import type { OwnerPreferences } from './ports/settings-store.js';
import type { StoryRuntime } from './ports/story-engine.js';
import { PASSAGE_PRESETS } from './settings-service.js';
import type { ModelPrefs, TurnDeps } from './turn-deps.js';

/** The models and tuning of one turn; `byok` says which roles run on the player's own key. */
export interface TurnModels {
  roles: TurnDeps;
  tuning: NarrationTuning;
  byok: { narrator: boolean; judge: boolean };
}

const NO_BYOK = { narrator: false, judge: false };

/** The tuning a player's settings ask for (empty: the narrator's own defaults). */
export function narrationTuning(settings: OwnerPreferences['settings']): NarrationTuning {
  if (!settings) return {};
  const preset = settings.passageLength ? PASSAGE_PRESETS[settings.passageLength] : undefined;
  return {
    ...(settings.temperature !== null ? { temperature: settings.temperature } : {}),
    ...(preset ? { maxOutputTokens: preset.maxOutputTokens } : {}),
    ...(preset?.note ? { lengthNote: preset.note } : {}),
  };
}

/** The models and tuning for a turn of `ownerId`'s session on `runtime`'s story. */
export function turnModels(deps: TurnDeps, runtime: Pick<StoryRuntime, 'preferredModels'>, ownerId: string, owner: OwnerPreferences): TurnModels {
  const tuning = narrationTuning(owner.settings);
  const story = runtime.preferredModels;
  // The player's choice of narrator wins over the author's wish: it is their turn (and maybe their key).
  const narrator = owner.settings?.narratorModel ?? story.narrator;
  const prefs: ModelPrefs = {
    ...(narrator ? { narrator } : {}),
    ...(story.judge ? { judge: story.judge } : {}),
    ...(owner.keys.length > 0 ? { owner: { userId: ownerId, keys: owner.keys } } : {}),
  };
  if (!deps.modelsFor || (!prefs.narrator && !prefs.judge && !prefs.owner)) return { roles: deps, tuning, byok: NO_BYOK };
  const { byok, ...models } = deps.modelsFor(prefs);
  return { roles: { ...deps, ...models }, tuning, byok: byok ?? NO_BYOK };
}
