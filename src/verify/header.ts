/** Request headers as adapters have them: a Fetch `Headers`, or Node's lower-cased record. */
export type HeaderSource = Headers | Readonly<Record<string, string | readonly string[] | undefined>>;

/** Reads one header by lower-case name. Repeated headers are joined with ", " (RFC 9110 §5.3). */
export function getHeader(headers: HeaderSource, name: string): string | undefined {
  if (typeof (headers as Headers).get === "function") return (headers as Headers).get(name) ?? undefined;
  const value = (headers as Record<string, string | readonly string[] | undefined>)[name];
  return typeof value === "string" || value === undefined ? value : value.join(", ");
}
