/** One fatal decoder, shared: invalid UTF-8 throws instead of becoming U+FFFD (WHATWG Encoding §4). */
const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Decodes UTF-8 strictly; undefined when the bytes are not UTF-8. The BOM is kept (see decode-body). */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return decoder.decode(bytes);
  } catch {
    return undefined;
  }
}
