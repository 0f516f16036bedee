/**
 * Value grammars for impact.com macro values. impact.com substitutes every macro as text, so
 * every value is a string; these grammars say which strings are well-formed. The generator
 * expands `x-impact-format: <name>` in a contract into the `pattern` below, and the runtime
 * uses the descriptions to explain a mismatch.
 *
 * Every grammar has an `…OrEmpty` twin: impact.com sends "" for a macro without a value
 * (observed `SubId2=`, `CreationDate=`, `SharedId=`; facts sheet §4, S16), so a template
 * contract accepts "" unless the partner marks the key as required.
 *
 * Sources: docs/sources.md §3.1 (observed `100.00`, `0.00`), §10 (suggested rules),
 * impact.com API conventions "decimals 8 digits with 2 decimal places", "integers up to 16
 * digits", "ISO 8601 with offset", "ISO 4217" (S26).
 *
 * Every pattern is anchored and linear-time: no quantified group contains a quantifier that
 * can match the group's own separator, so no input makes the regex engine backtrack.
 */
export interface ValueFormat {
  /** ECMAScript pattern, anchored, linear-time (no nested quantifiers). */
  readonly pattern: string;
  /** One sentence a partner can act on, used in error messages. */
  readonly description: string;
  readonly examples: readonly string[];
}

const baseFormats = {
  /**
   * Decimal string: optional "-", one or more ASCII digits, optionally "." and one or more
   * digits. No exponent, no "+", no thousands separator, no comma decimal mark, no spaces,
   * no leading or trailing dot. Signed because delta macros (DeltaPayout, DeltaAmount) go
   * negative on reductions (facts §3.1, inferred). Any number of fraction digits because qty
   * is documented only as "a decimal string" (S3). This is the signed decimal grammar.
   */
  decimal: {
    pattern: "^-?[0-9]+(\\.[0-9]+)?$",
    description:
      'must be a decimal string such as "5.00", "0" or "-1.50": digits, an optional leading "-" and an optional "." followed by digits (no exponent, "+", "," or spaces)',
    examples: ["5.00", "0", "-1.50", "719.10"],
  },
  /** impact.com numeric ids (CampaignId, ActionTrackerId, …): "integers up to 16 digits" (S26), observed `25619` (S16). */
  digitId: {
    pattern: "^[0-9]{1,16}$",
    description: 'must be a numeric id such as "25619": 1 to 16 ASCII digits, no sign, no spaces',
    examples: ["25619", "47270", "123456"],
  },
  /**
   * ActionId is not an integer: digit groups joined by "." (`1000.4636.158133`, `8882.4335`;
   * facts §3.1, S17, S20, S24). Linear: each repetition starts with the literal ".".
   */
  actionId: {
    pattern: "^[0-9]+(\\.[0-9]+)+$",
    description:
      'must be an impact.com action id such as "1000.4636.158133": groups of digits joined by "." (it is not a number)',
    examples: ["1000.4636.158133", "8882.4335"],
  },
  /**
   * ISO 8601 / RFC 3339 date-time with seconds and a numeric offset or "Z" (observed
   * `2026-05-11T00:07:27+03:00`, S16). The offset is required: dates are rendered in the
   * program's time zone (facts §3.2), so a date without one cannot be placed in time. A
   * fraction is tolerated although never observed.
   */
  dateTime: {
    pattern:
      "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\\.[0-9]{1,9})?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$",
    description:
      'must be an ISO 8601 date-time with seconds and a UTC offset, such as "2026-05-11T00:07:27+03:00" or "2026-05-11T00:07:27Z" (a date without offset is ambiguous)',
    examples: ["2026-05-11T00:07:27+03:00", "2026-06-16T00:00:00-05:00", "2026-05-11T00:07:27Z"],
  },
  /** ISO 4217 alphabetic code (S17, S26). */
  currency: {
    pattern: "^[A-Z]{3}$",
    description: 'must be an ISO 4217 currency code such as "USD": three upper-case letters',
    examples: ["USD", "EUR", "GBP"],
  },
  /** Job ids (S25 example `d8807a9f-a5ee-4e3f-ad2b-3dfd19d1915f`). Any version, either case. */
  uuid: {
    pattern: "^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$",
    description: 'must be a UUID such as "d8807a9f-a5ee-4e3f-ad2b-3dfd19d1915f": 8-4-4-4-12 hexadecimal digits',
    examples: ["d8807a9f-a5ee-4e3f-ad2b-3dfd19d1915f"],
  },
} as const satisfies Record<string, ValueFormat>;

type BaseName = keyof typeof baseFormats;
type OrEmptyName = `${BaseName}OrEmpty`;

/** `^X$` → `^(?:X)?$`: the same grammar, or the empty string. Still linear: `?` does not repeat. */
function orEmpty(format: ValueFormat): ValueFormat {
  return {
    pattern: `^(?:${format.pattern.slice(1, -1)})?$`,
    description: `${format.description}, or empty ("" is what impact.com sends for a value it does not have)`,
    examples: [...format.examples, ""],
  };
}

/**
 * Free text that must not be empty: for a text macro the partner lists under "required". A
 * pattern rather than `minLength`, whose ajv standalone code needs ajv's runtime (ucs2length).
 */
const text = {
  pattern: "^[\\s\\S]+$",
  description: 'must not be empty: this key is listed as required, and impact.com sends "" only when it has no value',
  examples: ["Base44 ", "Purchase"],
} as const satisfies ValueFormat;

export const valueFormats: { readonly [K in BaseName | OrEmptyName | "text"]: ValueFormat } = {
  ...baseFormats,
  ...(Object.fromEntries(
    Object.entries(baseFormats).map(([name, format]) => [`${name}OrEmpty`, orEmpty(format)]),
  ) as Record<OrEmptyName, ValueFormat>),
  text,
};

export type ValueFormatName = keyof typeof valueFormats;
/** A grammar without its "or empty" twin; the name a macro catalogue entry uses. */
export type BaseValueFormatName = BaseName;

const byPattern = new Map<string, string>(
  Object.values(valueFormats).map((format) => [format.pattern, format.description]),
);

/** The human description of a generated pattern, or undefined for a contract's own pattern. */
export function describePattern(pattern: string): string | undefined {
  return byPattern.get(pattern);
}
