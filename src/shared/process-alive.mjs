// Plain ESM with types beside it (process-alive.d.mts): built-dir.mjs, which bin/ loads before
// any TypeScript loader, uses it as well as the TypeScript code.

/** Whether a process with this pid exists (EPERM: it does, but belongs to someone else). */
export function isProcessAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}
