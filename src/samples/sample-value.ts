/**
 * One realistic macro value for a field, from its schema and its name. impact.com substitutes
 * every macro as text (facts sheet §4), so every value is a string; the shapes below are the
 * ones observed or documented (facts sheet §3.1, §10): digit ids (`25619`), dotted action ids
 * (`1000.4636.158133`), decimal money (`100.00`), ISO 8601 date-times that keep the program's
 * offset (`2026-05-11T00:07:27+03:00`), ISO 4217 currencies.
 */
import { pick, type Random, randomInt } from "./seeded-random.js";

/** The part of a JSON Schema a sample needs. */
export interface SampleSchema {
  readonly type?: string | readonly string[];
  readonly enum?: readonly unknown[];
  readonly pattern?: string;
  readonly format?: string;
  readonly example?: unknown;
  readonly examples?: readonly unknown[];
  readonly "x-impact-format"?: string;
  readonly "x-impact-known-values"?: readonly string[];
}

const OFFSETS = ["+03:00", "-05:00", "+08:00", "-07:00", "+00:00", "+01:00"] as const;
const CURRENCIES = ["USD", "EUR", "GBP", "AUD", "CAD"] as const;
const PROGRAMS = ["Base44", "Acme Outdoor", "Northwind Travel", "Contoso Shoes"] as const;
const TRACKERS = ["Purchase", "Online Sale", "Lead", "Subscription"] as const;
const STATUSES = ["APPROVED", "PENDING", "REVERSED"] as const;
const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

const pad = (n: number, width = 2) => String(n).padStart(width, "0");
const digits = (random: Random, count: number) =>
  String(randomInt(random, 1, 9)) + Array.from({ length: count - 1 }, () => randomInt(random, 0, 9)).join("");
const hex = (random: Random, count: number) =>
  Array.from({ length: count }, () => randomInt(random, 0, 15).toString(16)).join("");

function dateTime(random: Random): string {
  const date = `2026-${pad(randomInt(random, 1, 12))}-${pad(randomInt(random, 1, 28))}`;
  const time = `${pad(randomInt(random, 0, 23))}:${pad(randomInt(random, 0, 59))}:${pad(randomInt(random, 0, 59))}`;
  return `${date}T${time}${pick(random, OFFSETS)}`;
}

function money(random: Random, signed: boolean): string {
  const value = `${randomInt(random, 0, 499)}.${pad(randomInt(random, 0, 99))}`;
  return signed && random() < 0.3 ? `-${value}` : value;
}

function uuid(random: Random): string {
  return `${hex(random, 8)}-${hex(random, 4)}-4${hex(random, 3)}-${pick(random, ["8", "9", "a", "b"])}${hex(random, 3)}-${hex(random, 12)}`;
}

/** What a field holds, from its declared format first and its name second. */
function kindOf(name: string, schema: SampleSchema): string {
  const format = `${schema["x-impact-format"] ?? ""} ${schema.format ?? ""}`.toLowerCase();
  const key = name.toLowerCase().replace(/[^a-z0-9]/g, "");
  if (format.includes("uuid")) return "uuid";
  if (format.includes("action")) return "actionId";
  if (format.includes("date") || format.includes("time")) return "dateTime";
  if (format.includes("currency")) return "currency";
  if (/qty|quantity/.test(key)) return "quantity";
  if (format.includes("decimal") || format.includes("money")) return key.includes("delta") ? "signedMoney" : "money";
  if (key.endsWith("actionid")) return "actionId";
  if (key.includes("date") || key.endsWith("time")) return "dateTime";
  if (key.includes("currency")) return "currency";
  if (/payout|amount|amt|price|subtotal|total|commission/.test(key))
    return key.includes("delta") ? "signedMoney" : "money";
  if (key.includes("sku")) return "sku";
  if (key.includes("status") || key === "state") return "status";
  if (/^subid\d*$/.test(key)) return "uuid";
  if (key.includes("clickid")) return "clickId";
  if (key.includes("trackername")) return "tracker";
  if (key.includes("name")) return "program";
  if (format.includes("id") || format.includes("digit") || format.includes("integer") || key.endsWith("id")) {
    return "digitId";
  }
  return "text";
}

function byKind(kind: string, random: Random): string {
  switch (kind) {
    case "uuid":
      return uuid(random);
    case "actionId":
      return `${randomInt(random, 1000, 9999)}.${randomInt(random, 1000, 9999)}.${digits(random, 6)}`;
    case "dateTime":
      return dateTime(random);
    case "currency":
      return pick(random, CURRENCIES);
    case "quantity":
      return String(randomInt(random, 1, 3));
    case "money":
      return money(random, false);
    case "signedMoney":
      return money(random, true);
    case "sku":
      return `APP-${pad(randomInt(random, 1, 9999), 4)}`;
    case "status":
      return pick(random, STATUSES);
    case "clickId":
      return Array.from({ length: 22 }, () => ALNUM[randomInt(random, 0, ALNUM.length - 1)]).join("");
    case "tracker":
      return pick(random, TRACKERS);
    case "program":
      return pick(random, PROGRAMS);
    case "digitId":
      return digits(random, randomInt(random, 5, 8));
    default:
      return `sample-${digits(random, 4)}`;
  }
}

function matches(pattern: string | undefined, value: string): boolean {
  return pattern === undefined || new RegExp(pattern, "u").test(value);
}

/** A string for the field `name` that its schema accepts whenever the schema gives enough to know how. */
export function sampleValue(name: string, schema: SampleSchema, random: Random): string {
  const choices = (schema.enum ?? schema["x-impact-known-values"] ?? []).filter(
    (v): v is string => typeof v === "string" && v !== "",
  );
  if (choices.length > 0) return pick(random, choices);
  const value = byKind(kindOf(name, schema), random);
  if (matches(schema.pattern, value)) return value;
  // The contract's own grammar wins over a guess from the name: use its examples, or "" (what
  // impact.com sends for an absent value, facts sheet §4) when the pattern allows it.
  const examples = [schema.example, ...(schema.examples ?? [])].filter((v): v is string => typeof v === "string");
  const fitting = examples.filter((v) => matches(schema.pattern, v));
  if (fitting.length > 0) return pick(random, fitting);
  return matches(schema.pattern, "") ? "" : value;
}
