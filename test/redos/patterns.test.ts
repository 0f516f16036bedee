/**
 * ReDoS probes (issue 7; ajv security guidance: "pattern" keywords on untrusted input are a
 * denial-of-service risk unless each pattern is linear). Every pattern the generator emits is
 * collected from three places (the bundled contracts, the compiled validators and the grammars in
 * src/formats.ts), then fed 50 000-character strings pumped from the characters those patterns
 * accept, each followed by a character that makes the match fail at the very end: the input that
 * makes a backtracking engine explode. Every probe must be decided in well under 100 ms, alone
 * and through `validateEventNotification` with allErrors. A control pattern that does backtrack
 * proves the probe can fail.
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import type { ContractName } from "../../generated/index.js";
import { valueFormats } from "../../src/formats.js";
import { validateEventNotification } from "../../src/validate-event-notification.js";

const LENGTH = 50_000;
const BUDGET_MS = 100;
const generated = new URL("../../generated/", import.meta.url);
const contractDirs = readdirSync(generated, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
const readJson = (path: string) => JSON.parse(readFileSync(new URL(path, generated), "utf8")) as Json;

function collectPatterns(node: Json, out: Set<string>) {
  if (Array.isArray(node)) for (const child of node) collectPatterns(child, out);
  else if (typeof node === "object" && node !== null) {
    for (const [key, value] of Object.entries(node)) {
      if (key === "pattern" && typeof value === "string") out.add(value);
      else collectPatterns(value, out);
    }
  }
}

/** `new RegExp("…", "u")` as ajv's standalone code writes it; the argument is a JSON string. */
function compiledPatterns(source: string): string[] {
  return [...source.matchAll(/new RegExp\(("(?:[^"\\]|\\.)*"), "u"\)/g)].map((m) => JSON.parse(m[1] as string));
}

const patterns = new Set<string>();
for (const dir of contractDirs) {
  collectPatterns(readJson(`${dir}/openapi.json`), patterns);
  for (const p of compiledPatterns(readFileSync(new URL(`${dir}/validators.mjs`, generated), "utf8"))) patterns.add(p);
}
for (const format of Object.values(valueFormats)) patterns.add(format.pattern);

/** Repeated units drawn from what the grammars accept, so the engine keeps matching until the end. */
const pumps = ["0", "9", "1.", "0.0", "-0", "00:", "2026-05-11T00:07:27", "A", "f", "0f-", "-", ".", " "];
/** Characters no grammar accepts at the end (or a valid-looking but wrong ending). */
const endings = ["x", "!", "\n", "\u0000", "\ud800", ".", "-", ""];

function hostileInputs(): string[] {
  const out: string[] = [];
  for (const pump of pumps) {
    const body = pump.repeat(Math.ceil(LENGTH / pump.length)).slice(0, LENGTH);
    for (const end of endings) out.push(body + end, `-${body}${end}`);
  }
  return out;
}

/** Slowest single decision over the inputs; a slow one is re-run twice, keeping its best time (GC, a busy core). */
function slowestDecision(decide: (input: string) => unknown, inputs: readonly string[]) {
  let worst = { ms: 0, input: "" };
  for (const input of inputs) {
    let best = Number.POSITIVE_INFINITY;
    for (let attempt = 0; attempt < 3 && best >= BUDGET_MS / 4; attempt++) {
      const start = performance.now();
      decide(input);
      best = Math.min(best, performance.now() - start);
    }
    if (best > worst.ms) worst = { ms: best, input };
  }
  return worst;
}

const describeInput = (s: string) =>
  `${JSON.stringify(s.slice(0, 24))}… (${s.length} chars) ending ${JSON.stringify(s.slice(-2))}`;

/** A notification with every string field of the contract set to `value` (first branch of an anyOf/oneOf). */
function fill(schema: Json, value: string, document: Json, depth = 0): Json {
  if (typeof schema !== "object" || schema === null || Array.isArray(schema) || depth > 8) return value;
  const ref = schema.$ref;
  if (typeof ref === "string") {
    let target: Json = document;
    for (const part of ref.slice(2).split("/")) target = (target as Record<string, Json>)[part] ?? null;
    return fill(target, value, document, depth + 1);
  }
  const branches = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(branches) && branches[0] !== undefined) return fill(branches[0], value, document, depth + 1);
  if (schema.type === "array") return [fill(schema.items ?? null, value, document, depth + 1)];
  if (schema.type === "object" || typeof schema.properties === "object") {
    const out: Record<string, Json> = {};
    for (const [key, child] of Object.entries((schema.properties ?? {}) as Record<string, Json>)) {
      out[key] = fill(child, value, document, depth + 1);
    }
    return out;
  }
  return value;
}

function notificationsOf(dir: string): { delivery: "GET" | "POST"; build: (value: string) => Json }[] {
  const document = readJson(`${dir}/openapi.json`) as { paths: Record<string, Record<string, Json>> };
  const out: { delivery: "GET" | "POST"; build: (value: string) => Json }[] = [];
  for (const item of Object.values(document.paths)) {
    const get = item.get as { parameters?: { name: string; in: string }[] } | undefined;
    if (get !== undefined) {
      const names = (get.parameters ?? []).filter((p) => p.in === "query").map((p) => p.name);
      out.push({ delivery: "GET", build: (v) => Object.fromEntries(names.map((n) => [n, v])) });
    }
    const post = item.post as { requestBody?: { content?: Record<string, { schema?: Json }> } } | undefined;
    const schema = Object.values(post?.requestBody?.content ?? {})[0]?.schema;
    if (schema !== undefined)
      out.push({ delivery: "POST", build: (v) => fill(schema, v, document as unknown as Json) });
  }
  return out;
}

describe("ReDoS probes", () => {
  const inputs = hostileInputs();

  test("patterns were found in every source", () => {
    expect(contractDirs.length).toBeGreaterThan(0);
    expect(patterns.size).toBeGreaterThanOrEqual(Object.keys(valueFormats).length);
  });

  for (const pattern of patterns) {
    test(`pattern ${pattern} decides every hostile input in < ${BUDGET_MS} ms`, () => {
      const regex = new RegExp(pattern, "u");
      const worst = slowestDecision((s) => regex.test(s), inputs);
      expect(worst.ms, `slowest: ${describeInput(worst.input)}`).toBeLessThan(BUDGET_MS);
    });
  }

  for (const dir of contractDirs) {
    for (const { delivery, build } of notificationsOf(dir)) {
      test(`${dir} ${delivery}: validateEventNotification (allErrors) decides every field set to a hostile input in < ${BUDGET_MS} ms`, () => {
        const worst = slowestDecision((s) => {
          const result = validateEventNotification(build(s), {
            contract: dir as ContractName,
            delivery,
            allErrors: true,
          });
          // Each input is 50 000 characters; the result is refused (or accepted) without echoing it.
          if (!result.ok) expect(JSON.stringify(result.error).length).toBeLessThan(20_000);
        }, inputs);
        expect(worst.ms, `slowest: ${describeInput(worst.input)}`).toBeLessThan(BUDGET_MS);
      });
    }
  }

  test("control: the probe does catch a backtracking pattern", () => {
    // ^([0-9]+)+$ backtracks exponentially: 25 digits and "x" take hundreds of ms (one run,
    // since the probe's re-runs of a slow input would only repeat the wait).
    const backtracking = /^([0-9]+)+$/u;
    const start = performance.now();
    backtracking.test(`${"0".repeat(25)}x`);
    expect(performance.now() - start).toBeGreaterThan(BUDGET_MS);
  });
});
