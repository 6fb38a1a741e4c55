/**
 * Where a turn's overhead goes, wave by wave: the time the stack adds before the narrator's
 * request reaches the model, between the narrator's reply and the judge's request, and after the
 * judge's reply until the player holds `turn.completed`. Model time is what the fake model itself
 * took for this turn's two calls (request received → reply finished), not its nominal pacing, so
 * the fake's own lateness (its timers fire late under load) is not counted as ours.
 *
 * Turns are grouped by their index in each player's sequence: with players who act together,
 * index 1 is the first wave (every player's first action in the same millisecond), later indexes
 * are spread by how the waves before them finished.
 * @module
 */
import { summarize, type Summary } from './stats.js';

/** One model call as the fake saw it (epoch ms). */
export interface CallSpan {
  receivedAt: number;
  endedAt: number;
}

/** One turn as its player saw it (epoch ms), with the model calls it caused. */
export interface TurnTrace {
  /** 1-based position in the player's sequence. */
  turn: number;
  postedAt: number;
  acceptedAt: number;
  completedAt: number;
  narrator?: CallSpan;
  judge?: CallSpan;
}

export interface WavePhases {
  turn: number;
  turns: number;
  /** Latency minus the fake's own time for the turn's two calls. */
  overheadMs: Summary | null;
  /** The action's `POST` until its 202. */
  acceptedMs: Summary | null;
  /** The `POST` until the narrator's request reached the model. */
  beforeModelMs: Summary | null;
  /** The narrator's reply finished until the judge's request reached the model. */
  betweenCallsMs: Summary | null;
  /** The judge's reply finished until the player received `turn.completed`. */
  afterModelMs: Summary | null;
}

/** A turn whose two model calls were matched to it. */
type Matched = TurnTrace & { narrator: CallSpan; judge: CallSpan };

const matched = (traces: readonly TurnTrace[]): Matched[] => traces.filter((t): t is Matched => Boolean(t.narrator && t.judge));

/** Latency less the time the fake itself took for the turn's two calls. */
const overheadOf = (t: Matched): number => t.completedAt - t.postedAt - modelMs(t.narrator) - modelMs(t.judge);

/** Per turn index, the phases of every turn whose two calls are known. */
export function wavePhases(traces: readonly TurnTrace[]): WavePhases[] {
  const byTurn = new Map<number, Matched[]>();
  for (const t of matched(traces)) byTurn.set(t.turn, [...(byTurn.get(t.turn) ?? []), t]);
  return [...byTurn.keys()].sort((a, b) => a - b).map((turn) => {
    const rows = byTurn.get(turn)!;
    const pick = (f: (t: Matched) => number) => summarize(rows.map(f));
    return {
      turn,
      turns: rows.length,
      overheadMs: pick(overheadOf),
      acceptedMs: pick((t) => t.acceptedAt - t.postedAt),
      beforeModelMs: pick((t) => t.narrator.receivedAt - t.postedAt),
      betweenCallsMs: pick((t) => t.judge.receivedAt - t.narrator.endedAt),
      afterModelMs: pick((t) => t.completedAt - t.judge.endedAt),
    };
  });
}

/** Overhead of every turn whose two calls are known, all waves together. */
export function overallOverhead(traces: readonly TurnTrace[]): Summary | null {
  return summarize(matched(traces).map(overheadOf));
}

function modelMs(call: CallSpan): number {
  return call.endedAt - call.receivedAt;
}
