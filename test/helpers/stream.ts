/** Reading a child's output until a condition holds, bounded in time even when the child prints nothing. */

/** Reads `stream` until `done(text)` is true; throws after `timeoutMs` with what was read. */
export async function readUntil(stream: ReadableStream<Uint8Array>, done: (text: string) => boolean, timeoutMs = 60_000, so_far = { text: "" }): Promise<string> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  const deadline = Date.now() + timeoutMs;
  try {
    while (!done(so_far.text)) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out after ${timeoutMs} ms; output so far:\n${so_far.text}`);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), left)));
      const next = await Promise.race([reader.read(), timeout]);
      clearTimeout(timer);
      if (next === "timeout") continue;
      if (next.done) break;
      so_far.text += decoder.decode(next.value, { stream: true });
    }
    return so_far.text;
  } finally {
    reader.releaseLock();
  }
}
