/** An installed package's folder (null: not found above its entry point) and version ('unknown' then). */
export function installedPackage(name: string): { dir: string | null; version: string };
