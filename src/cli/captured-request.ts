/**
 * Reads one captured request from a line of input: a full URL (`https://host/path?a=b`), a path
 * with a query (`/postback?a=b`), a line of an access log in the common/combined format
 * (`… "GET /postback?a=b HTTP/1.1" 200 …`), or a POST JSON body (`{"payout":"5.00"}`).
 */
import type { Delivery } from "../contract.js";
import { DEFAULT_MAX_DEPTH } from "../verify/options.js";
import { isSyntaxError, parseJson } from "../verify/parse-json.js";

export type CapturedRequest =
  | { readonly delivery: "GET"; readonly query: string }
  | { readonly delivery: "POST"; readonly body: unknown }
  | { readonly delivery: Delivery; readonly unreadable: string };

// "METHOD target HTTP/x" inside an access-log line (Apache/nginx common and combined formats).
const LOG_REQUEST = /"(GET|POST) (\S+) HTTP\/[\d.]+"/;

export function parseCapturedRequest(line: string): CapturedRequest {
  const text = line.trim();
  if (text.startsWith("{") || text.startsWith("[")) {
    // The receiver's own parser: repeated keys and `__proto__` are refused as they would be over
    // HTTP, and escaped keys are decoded correctly on Node 24 (see parse-json.ts).
    const parsed = parseJson(text, DEFAULT_MAX_DEPTH);
    if ("value" in parsed) return { delivery: "POST", body: parsed.value };
    return {
      delivery: "POST",
      unreadable: isSyntaxError(parsed)
        ? "is not valid JSON: fix the body, or give a full URL for a GET request"
        : `is refused by the receiver's JSON parser (${parsed.error}${"path" in parsed ? ` at ${parsed.path}` : ""})`,
    };
  }
  const logged = LOG_REQUEST.exec(text);
  if (logged !== null) {
    if (logged[1] === "POST") {
      return {
        delivery: "POST",
        unreadable: "is a POST log line: access logs hold no body; pass the captured JSON body instead",
      };
    }
    return { delivery: "GET", query: logged[2] as string };
  }
  if (/^https?:\/\//i.test(text) || text.startsWith("/") || text.startsWith("?"))
    return { delivery: "GET", query: text };
  return {
    delivery: "GET",
    unreadable: "is neither a URL, an access-log line nor a JSON body: give one request per line",
  };
}
