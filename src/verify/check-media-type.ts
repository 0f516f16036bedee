import { fail, type VerifyFailure } from "./verify-result.js";

export type BodyFormat = "json" | "form";

const ACCEPT = { "accept-post": "application/json, application/x-www-form-urlencoded" } as const;

function unsupported(detail: string): VerifyFailure {
  return fail("unsupported_media_type", detail, [], ACCEPT);
}

/** Charset labels the WHATWG Encoding Standard maps to UTF-8 ("utf-8", "utf8", "unicode-1-1-utf-8", …). */
const UTF8_LABELS = new Set([
  "utf-8",
  "utf8",
  "unicode-1-1-utf-8",
  "unicode11utf8",
  "unicode20utf8",
  "x-unicode20utf8",
]);

/**
 * Step 4a, media type (RFC 9110 §8.3.1: type/subtype and parameters are case-insensitive).
 * JSON is `application/json` or any `application/*+json` (RFC 6839 §3.1); forms are
 * `application/x-www-form-urlencoded`. The only charset accepted is UTF-8, under any of its
 * labels: RFC 8259 §8.1 requires UTF-8 for JSON exchanged between systems, and decoding another
 * charset would be a guess. Missing Content-Type on a POST is refused rather than sniffed.
 */
export function checkMediaType(contentType: string | undefined): BodyFormat | VerifyFailure {
  if (contentType === undefined || contentType === "") {
    return unsupported(
      "The POST has no Content-Type. Send application/json or application/x-www-form-urlencoded (UTF-8).",
    );
  }
  // The usual value, answered without slicing or folding (the general rule below gives the same).
  if (contentType === "application/json") return "json";
  const semi = contentType.indexOf(";");
  const essence = (semi === -1 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
  let format: BodyFormat | undefined;
  if (essence === "application/json" || (essence.startsWith("application/") && essence.endsWith("+json"))) {
    format = "json";
  } else if (essence === "application/x-www-form-urlencoded") {
    format = "form";
  }
  if (format === undefined) {
    return unsupported(
      "Only application/json and application/x-www-form-urlencoded bodies are accepted. Pick JSON as the body format in impact.com.",
    );
  }
  if (semi !== -1) {
    for (const param of contentType.slice(semi + 1).split(";")) {
      const eq = param.indexOf("=");
      if (eq === -1 || param.slice(0, eq).trim().toLowerCase() !== "charset") continue;
      let value = param.slice(eq + 1).trim();
      if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
      if (!UTF8_LABELS.has(value.toLowerCase())) {
        return unsupported("Only UTF-8 bodies are accepted: drop the charset parameter or set charset=utf-8.");
      }
    }
  }
  return format;
}
