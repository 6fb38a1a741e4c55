/**
 * Who acts when in a shared session: `free` — anyone, actions queue in arrival order; `round` —
 * players in join order; `vote` — actions collected into one turn.
 */
export type TurnMode = 'free' | 'round' | 'vote';
export const TURN_MODES: readonly TurnMode[] = ['free', 'round', 'vote'];

/** Round mode's state: the player whose turn it is, since when (ISO time, JSON in the row). */
export interface RoundState {
  userId: string;
  since: string;
}
