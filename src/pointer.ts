/** Escapes one key for a JSON pointer (RFC 6901 §3): "~" → "~0", "/" → "~1". */
export function pointerSegment(key: string): string {
  return key.replaceAll("~", "~0").replaceAll("/", "~1");
}
