

/** Model spend of one model id over a period, from the turns' recorded usage. */
export interface ModelSpend {
  modelId: string;
  calls: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

/** Cluster-wide activity counts for the admin view (read-only; each is one aggregate query). */
export interface ActivityStore {
  /** Sessions started or advanced since `since`. */
  activeSessions(since: Date): Promise<number>;
  /** Turns committed since `since` (openings excluded). */
  turnsSince(since: Date): Promise<number>;
  /** Spend since `since` by model id, most expensive first. */
  spendByModel(since: Date): Promise<ModelSpend[]>;
}
