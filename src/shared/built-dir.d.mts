/** A fingerprint of the sources under `dirs` (file count and newest mtime); `skip` leaves entries out by name. */
export function sourcesStamp(dirs: readonly string[], skip?: (name: string, isDirectory: boolean) => boolean): string;

/** The stamp `dest` was built from, or null when it was never (completely) built. */
export function builtStamp(dest: string): string | null;

export interface RebuildOptions {
  /** The built directory (replaced whole by each build). */
  dest: string;
  /** The current sources' stamp ({@link sourcesStamp} of them). */
  stamp(): string;
  /** Writes a complete build into `dir` (a fresh directory beside `dest`). */
  build(dir: string): Promise<void>;
  /** Build even when `dest` is current. */
  force?: boolean;
}

/** Builds `dest` when missing or stale (or `force`), one builder at a time; 'fresh' when there was nothing to do. */
export function rebuildDirectory(options: RebuildOptions): Promise<'fresh' | 'built'>;
