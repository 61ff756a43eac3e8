/** A request body read within a size limit: its bytes, or how large it was when the limit stopped it. */
export type RequestBodyRead = { ok: true; bytes: Uint8Array<ArrayBuffer> } | { ok: false; bytes: number };

/**
 * Reads a request's body, stopping at `maxBytes`: a `content-length` above it is refused before
 * anything is read, and a body that grows past it is cancelled, so an oversized body is never
 * held in memory. What arrived is dropped; only its size is returned.
 */
export async function readRequestBody(request: Request, maxBytes: number): Promise<RequestBodyRead> {
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) {
    await request.body?.cancel().catch(() => {});
    return { ok: false, bytes: declared };
  }
  const reader = request.body?.getReader();
  if (!reader) return { ok: true, bytes: new Uint8Array(new ArrayBuffer(0)) };
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    size += next.value.byteLength;
    if (size > maxBytes) {
      chunks.length = 0;
      await reader.cancel().catch(() => {});
      return { ok: false, bytes: size };
    }
    chunks.push(next.value);
  }
  const bytes = new Uint8Array(new ArrayBuffer(size));
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { ok: true, bytes };
}
