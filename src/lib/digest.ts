// Content digests, as OCI and the store name blobs: sha256 in lower-case hex (WebCrypto, so the
// same code runs in the worker, the page and Node).

/** The sha256 of `bytes` as 64 hex digits. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const hash = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(hash), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** `sha256:<hex>`, the OCI digest of `bytes`. */
export async function sha256Digest(bytes: Uint8Array): Promise<`sha256:${string}`> {
  return `sha256:${await sha256Hex(bytes)}`;
}
