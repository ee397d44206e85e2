// Kernel releases: parsing and comparing "4.7.1", "6.12", "2.6.32", and the defaults per OS.

export const DEFAULT_LINUX_RELEASE = '6.12';
export const DEFAULT_LINUX_I386_RELEASE = '2.6.32';
export const DEFAULT_FREEBSD_RELEASE = '14.2';
export const OLDEST_LINUX_RELEASE = '2.6.32';

/** Numeric parts of a release: "4.7.1-stephen" → [4, 7, 1]; "<=2.6.32" → [2, 6, 32]. */
export function releaseParts(release: string): number[] {
  const m = /^(?:<=)?(\d+(?:\.\d+)*)/.exec(release.trim());
  if (!m) return [];
  return m[1]!.split('.').map(Number);
}

export function isValidRelease(release: string): boolean {
  return /^\d+\.\d+(\.\d+)?$/.test(release);
}

/** <0 when a is older than b, 0 when equal, >0 when newer. Missing parts count as 0. */
export function compareReleases(a: string, b: string): number {
  const pa = releaseParts(a);
  const pb = releaseParts(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Whether a syscall that first appeared in `since` exists in `release`. */
export function presentIn(since: string, release: string): boolean {
  return compareReleases(since, release) <= 0;
}
