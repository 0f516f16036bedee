/** Escapes one key for a JSON pointer (RFC 6901 §3): "~" → "~0", "/" → "~1". */
export function pointerSegment(key: string): string {
  return key.replaceAll("~", "~0").replaceAll("/", "~1");
}

/** The value at a JSON pointer of `data` ("" is the root), or undefined where there is none. Own keys only. */
export function valueAt(data: unknown, pointer: string): unknown {
  if (pointer === "") return data;
  let node = data;
  for (const raw of pointer.slice(1).split("/")) {
    if (typeof node !== "object" || node === null) return undefined;
    const key = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    if (!Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}
