/**
 * The secret check on its own and through `verifyRequest` (Fetch `Headers`): header values are
 * byte strings, compared as bytes with the secret's UTF-8; text that cannot be a byte string
 * (a character above U+00FF, as an adapter that decoded it gives) is compared as UTF-8 text.
 * The over-HTTP tables are in test/reliability/sharp-options.test.ts.
 */
import { describe, expect, test } from "vitest";
import { verifyRequest } from "../../src/index.js";
import { checkSecret } from "../../src/verify/check-secret.js";
import { headerValueBytes } from "../../src/verify/constant-time-equal.js";
import { resolveVerifyOptions, type VerifyOptions } from "../../src/verify/options.js";

const utf8AsByteString = (s: string) => Buffer.from(s, "utf8").toString("latin1");

describe("headerValueBytes", () => {
  test("one byte per character of a byte string", () => {
    expect([...headerValueBytes("p\u00c3\u00a4\u00ff\u0000")]).toEqual([0x70, 0xc3, 0xa4, 0xff, 0x00]);
  });
  test("a character above U+00FF: the string is text, its bytes are its UTF-8", () => {
    expect([...headerValueBytes("ä☃")]).toEqual([0xc3, 0xa4, 0xe2, 0x98, 0x83]);
  });
});

describe("a non-ASCII secret through verifyRequest (Fetch Headers hold byte strings)", () => {
  const options: VerifyOptions = { secret: { values: "pässwörd-☃", header: "x-impact-secret" } };
  const send = (value: string) =>
    verifyRequest(new Request("http://x.example/n?payout=5.00", { headers: { "x-impact-secret": value } }), options);

  test("the UTF-8 bytes match", async () => {
    expect((await send(utf8AsByteString("pässwörd-☃"))).ok).toBe(true);
  });
  test("anything else does not", async () => {
    expect(await send(utf8AsByteString("pässwörd-☃").slice(0, -1))).toMatchObject({ status: 401 });
    expect(await send(utf8AsByteString(utf8AsByteString("pässwörd-☃")))).toMatchObject({ status: 401 });
  });
});

describe("checkSecret", () => {
  const resolved = resolveVerifyOptions({ secret: { values: ["pässwörd"], queryParameter: "token", header: "x-s" } });
  test.each([
    ["header, UTF-8 bytes", undefined, utf8AsByteString("pässwörd"), true],
    ["header, Latin-1 bytes", undefined, "pässwörd", false],
    // Only an adapter that decoded the value gives characters above U+00FF; "☃" makes this one text.
    ["header, decoded text", undefined, "pässwörd☃", false],
    ["query, decoded value", ["pässwörd"], undefined, true],
    ["query right, header wrong", ["pässwörd"], "x", false],
    ["query repeated, header right", ["pässwörd", "pässwörd"], utf8AsByteString("pässwörd"), false],
    ["query with no value, header right", [], utf8AsByteString("pässwörd"), true],
    ["nowhere", undefined, undefined, false],
  ] as const)("%s", (_name, query, header, ok) => {
    expect(checkSecret(query, header, resolved) === undefined).toBe(ok);
  });

  test("decoded text above U+00FF matches the secret's UTF-8", () => {
    const snowman = resolveVerifyOptions({ secret: { values: "pässwörd-☃", header: "x-s" } });
    expect(checkSecret(undefined, "pässwörd-☃", snowman)).toBeUndefined();
  });
});
