/**
 * The query string impact.com would put after the configured URL. A record is encoded the way a
 * filled-in URL template is (`key=value&…`, values percent-encoded); a string or URLSearchParams
 * keeps its keys, order and percent-escapes, so a test can reproduce repeated keys or odd
 * encodings (the URL still percent-encodes characters it cannot carry, such as spaces).
 */
export function toQueryString(query: unknown): string {
  if (typeof query === "string") return query.startsWith("?") ? query.slice(1) : query;
  if (query instanceof URLSearchParams) return query.toString();
  const params = new URLSearchParams();
  if (typeof query === "object" && query !== null) {
    for (const [key, value] of Object.entries(query)) {
      if (value === undefined) continue;
      for (const item of Array.isArray(value) ? value : [value]) params.append(key, String(item));
    }
  }
  // URLSearchParams writes a space as "+"; impact.com's capture shows %20 (facts sheet §4.1).
  return params.toString().replace(/\+/g, "%20");
}

/** The configured URL (which may already carry parameters, e.g. a secret) plus the notification's query. */
export function joinQuery(base: URL, query: string): URL {
  const url = new URL(base);
  // WHATWG URL reads a bare "?" as an empty search, so "" covers it.
  if (query !== "") url.search = url.search === "" ? query : `${url.search.slice(1)}&${query}`;
  return url;
}
