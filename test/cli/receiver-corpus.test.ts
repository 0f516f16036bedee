/**
 * The contract corpus (test/fixtures/<contract>/ plus cases built from each contract) sent over
 * real HTTP to the project's own receiver, the `listen` command, one per contract. Its verdict must
 * equal validateEventNotification's, it must print one JSON line per request saying so, and every
 * answer must be one the bundled document declares: its status (or status range) is a response of
 * the operation, and its body matches that response's schema for its content type.
 */
import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contractDocumentPath, contractNames } from "../../src/cli/package-root.js";
import { validateEventNotification } from "../../src/index.js";
import { createNotificationSender } from "../../src/testing/index.js";
import { corpus } from "../contract/corpus.js";
import { type RunningCli, startListen } from "./cli-process.js";

/**
 * Where the receiver's code differs from the validator's, and why. The verdict (refused) is the
 * same; the receiver decodes the raw body first, so a non-object JSON root is a decoding error.
 */
const receiverCodes: Readonly<Record<string, { code: string; reason: string }>> = {
  "post-array-root": {
    code: "non_object_root",
    reason: "verifyRequest refuses a JSON body whose root is not an object while decoding (400), before validation",
  },
};

type Responses = Record<string, { content?: Record<string, { schema?: unknown }> }>;
interface Document {
  paths: Record<string, Record<string, { responses: Responses }>>;
}

/** Checks an answer against the bundled document's responses for the operation of `delivery`. */
function declaredAnswer(contract: string) {
  const document = JSON.parse(readFileSync(contractDocumentPath(contract), "utf8")) as Document;
  // OpenAPI annotations (example, x-…) are not JSON Schema keywords: strict mode off for the check.
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  ajv.addSchema(document, "contract");
  const segment = (key: string) => key.replaceAll("~", "~0").replaceAll("/", "~1");
  return (delivery: string, status: number, contentType: string | undefined, body: string) => {
    const method = delivery.toLowerCase();
    const path = Object.keys(document.paths).find((p) => document.paths[p]?.[method] !== undefined);
    const operation = path === undefined ? undefined : document.paths[path]?.[method];
    if (path === undefined || operation === undefined)
      throw new Error(`contract "${contract}" has no ${delivery} operation`);
    const key = String(status) in operation.responses ? String(status) : `${String(status)[0]}XX`;
    const response = operation.responses[key];
    expect(
      response,
      `status ${status} is not a documented response (${Object.keys(operation.responses)})`,
    ).toBeDefined();
    const media = contentType?.split(";")[0]?.trim() ?? "";
    expect(response?.content?.[media]?.schema, `${status} ${media} has no documented schema`).toBeDefined();
    const ref = `contract#/paths/${segment(path)}/${method}/responses/${key}/content/${segment(media)}/schema`;
    const validate = ajv.getSchema(ref) ?? ajv.compile({ $ref: ref });
    expect(validate(JSON.parse(body)), JSON.stringify(validate.errors)).toBe(true);
  };
}

for (const contract of contractNames()) {
  describe(`contract "${contract}" through \`listen\` over HTTP`, () => {
    const declared = declaredAnswer(contract);
    let listen: RunningCli & { url: string };
    beforeAll(async () => {
      listen = await startListen(["--contract", contract, "--json"]);
    });
    afterAll(async () => {
      await listen?.stop();
    });

    it.each(corpus(contract).map((c) => [`${c.delivery} ${c.name}`, c] as const))("%s", async (_, c) => {
      const sender = createNotificationSender({ baseUrl: listen.url });
      const before = listen.stdout().split("\n").length;
      const sent =
        c.delivery === "GET"
          ? await sender.send("GET", c.query ?? "")
          : await sender.send("POST", JSON.stringify(c.body));
      const ours = validateEventNotification(c.delivery === "GET" ? c.query : c.body, {
        contract: contract as "documented",
        delivery: c.delivery,
      });
      expect(sent.ok, sent.body).toBe(ours.ok);
      expect(sent.ok).toBe(c.valid);
      declared(c.delivery, sent.status, sent.contentType, sent.body);

      // The line `listen` printed for this request.
      await listen.waitFor(/"event":"request"/);
      const deadline = Date.now() + 5_000;
      while (listen.stdout().split("\n").length <= before && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      const line = JSON.parse(listen.stdout().trim().split("\n").at(-1) as string) as {
        accepted: boolean;
        status: number;
        code?: string;
      };
      expect(line.accepted).toBe(ours.ok);
      expect(line.status).toBe(sent.status);
      if (!ours.ok) {
        const expected = receiverCodes[c.name]?.code ?? ours.error.code;
        expect(line.code).toBe(expected);
        expect(sent.status).toBe(receiverCodes[c.name] === undefined ? ours.error.status : 400);
        expect(sent.contentType).toBe("application/problem+json");
      }
    });
  });
}
