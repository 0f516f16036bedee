/**
 * Reads one captured request from a line of input: a full URL (`https://host/path?a=b`), a path
 * with a query (`/postback?a=b`), a line of an access log in the common/combined format
 * (`… "GET /postback?a=b HTTP/1.1" 200 …`), or a POST JSON body (`{"payout":"5.00"}`).
 */
import type { Delivery } from "../contract.js";

export type CapturedRequest =
  | { readonly delivery: "GET"; readonly query: string }
  | { readonly delivery: "POST"; readonly body: unknown }
  | { readonly delivery: Delivery; readonly unreadable: string };

// "METHOD target HTTP/x" inside an access-log line (Apache/nginx common and combined formats).
const LOG_REQUEST = /"(GET|POST) (\S+) HTTP\/[\d.]+"/;

export function parseCapturedRequest(line: string): CapturedRequest {
  const text = line.trim();
  if (text.startsWith("{") || text.startsWith("[")) {
    try {
      return { delivery: "POST", body: JSON.parse(text) as unknown };
    } catch {
      return { delivery: "POST", unreadable: "is not valid JSON: fix the body, or give a full URL for a GET request" };
    }
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
