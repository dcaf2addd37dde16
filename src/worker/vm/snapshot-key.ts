// Names a boot snapshot by everything it depends on: the guest artifacts (their MANIFEST), the
// v86 build and the VM settings. The Node runner, the page and the site build all use this one
// function, so a snapshot made at build time is recognised by the page.

/** The pinned v86 (package.json); snapshot-key.test.ts checks it against the installed one. */
export const V86_VERSION = '0.5.462';

export async function snapshotKeyOf(manifest: Uint8Array, tunables: unknown): Promise<string> {
  const extra = new TextEncoder().encode(V86_VERSION + JSON.stringify(tunables));
  const all = new Uint8Array(manifest.length + extra.length);
  all.set(manifest);
  all.set(extra, manifest.length);
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', all));
  return Array.from(digest.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join('');
}
