/**
 * Escapes untrusted text for one log line: control characters (newline, carriage return, ESC…)
 * become JSON escapes such as `\n` and `\u001b`, so received text can neither forge log lines nor
 * drive the terminal. Backslashes and double quotes are escaped too (JSON string rules, RFC 8259 §7),
 * so an escape sequence in the output always means the input had that character. JSON leaves DEL,
 * the C1 controls (U+0080–U+009F, where U+009B is a terminal's CSI) and the line/paragraph
 * separators U+2028/U+2029 alone; they are escaped as `\uXXXX` as well.
 */
const UNSAFE = /[\u007f-\u009f\u2028\u2029]/g;

export function escapeLogText(text: string): string {
  return JSON.stringify(text)
    .slice(1, -1)
    .replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
