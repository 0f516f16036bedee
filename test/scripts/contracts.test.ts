import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { bundleContract, type ContractInput, readContractFolders } from "../../src/codegen/contracts.js";
import { requestSchemas } from "../../src/codegen/request-schemas.js";

const root = join(import.meta.dirname, "../..");
const seed = readFileSync(join(root, "test/fixtures/seeds/impact-event-notifications-page.txt"), "utf8");

describe("vendor contracts", () => {
  test("are impact.com's published documents, content unchanged", () => {
    const published = [...seed.matchAll(/```json\s*\n([\s\S]*?)\n```/g)].map((m) => JSON.parse(m[1] ?? ""));
    const dir = join(root, "openapi/documented/vendor");
    const stored = readdirSync(dir)
      .sort()
      .map((f) => JSON.parse(readFileSync(join(dir, f), "utf8")));
    expect(stored).toHaveLength(2);
    expect(stored).toEqual(expect.arrayContaining(published));
  });

  test("the documented contract bundles both operations with the prose rules", () => {
    const documented = readContractFolders(join(root, "openapi"), root).find((c) => c.name === "documented");
    if (documented === undefined) throw new Error("openapi/documented is missing");
    const contract = bundleContract(documented);
    const schemas = requestSchemas(contract);
    expect(schemas.map((s) => `${s.delivery} ${s.in} ${s.exportName}`)).toEqual([
      "GET query receiveEventNotificationGetQuery",
      "POST body receiveEventNotificationPostBody",
    ]);
    const payload = contract.document.components?.schemas?.EventNotificationPayload as {
      properties: Record<string, Record<string, unknown>>;
    };
    expect(payload.properties.payout).toMatchObject({
      type: "string",
      "x-impact-format": "decimal",
      pattern: expect.any(String),
    });
    expect(payload.properties.status?.["x-impact-known-values"]).toEqual(["APPROVED", "PENDING", "REVERSED"]);
  });
});

const op = (operationId: string, extra: Record<string, unknown> = {}) => ({ operationId, responses: {}, ...extra });
const doc = (paths: Record<string, unknown>, components: Record<string, unknown> = {}) => ({
  openapi: "3.1.0",
  info: { title: "t", version: "1" },
  paths,
  components,
});
const input = (documents: unknown[], overlays: unknown[] = []): ContractInput => ({
  name: "c",
  documents: documents.map((document, i) => ({ source: `s${i}.openapi.json`, document })),
  overlays: overlays.map((overlay, i) => ({ source: `o${i}.overlay.yaml`, overlay })),
});

describe("bundling rules (every contract folder is treated the same way)", () => {
  const cases: [string, { given: ContractInput; want: RegExp }][] = [
    ["no source document", { given: input([]), want: /has no \*\.openapi\.json/ }],
    [
      "OpenAPI 3.0 source",
      { given: input([{ ...doc({}), openapi: "3.0.3" }]), want: /expected an OpenAPI 3\.1\.x document/ },
    ],
    [
      "two sources define the same operation",
      {
        given: input([doc({ "/p": { get: op("a") } }), doc({ "/p": { get: op("b") } })]),
        want: /paths\.\/p\.get is defined differently/,
      },
    ],
    [
      "two sources define a schema differently",
      {
        given: input([
          doc({}, { schemas: { X: { type: "string" } } }),
          doc({}, { schemas: { X: { type: "object" } } }),
        ]),
        want: /components\.schemas\.X is defined differently/,
      },
    ],
    [
      "unknown value format",
      {
        given: input([doc({}, { schemas: { X: { type: "string", "x-impact-format": "money" } } })]),
        want: /unknown x-impact-format "money"/,
      },
    ],
  ];
  test.each(cases)("%s", (_, { given, want }) => {
    expect(() => bundleContract(given)).toThrow(want);
  });

  const schemaCases: [string, { given: ContractInput; want: RegExp }][] = [
    [
      "a PUT operation",
      { given: input([doc({ "/p": { put: op("a") } })]), want: /impact\.com only sends GET or POST/ },
    ],
    [
      "two GET operations",
      { given: input([doc({ "/p": { get: op("a") }, "/q": { get: op("b") } })]), want: /more than one GET operation/ },
    ],
    [
      "POST without a body schema",
      { given: input([doc({ "/p": { post: op("a") } })]), want: /documents no request body schema/ },
    ],
    [
      "operation without operationId",
      { given: input([doc({ "/p": { get: { responses: {} } } })]), want: /needs an operationId/ },
    ],
  ];
  test.each(schemaCases)("%s", (_, { given, want }) => {
    expect(() => requestSchemas(bundleContract(given))).toThrow(want);
  });

  test("sources merge: one GET file and one POST file make one contract", () => {
    const contract = bundleContract(
      input([
        doc({
          "/p": {
            get: op("g", { parameters: [{ name: "q", in: "query", required: true, schema: { type: "string" } }] }),
          },
        }),
        doc(
          {
            "/p": {
              post: op("p", {
                requestBody: { content: { "application/json": { schema: { $ref: "#/components/schemas/B" } } } },
              }),
            },
          },
          {
            schemas: {
              B: { type: "object", properties: { i: { $ref: "#/components/schemas/I" } } },
              I: { type: "string" },
              Unused: {},
            },
          },
        ),
      ]),
    );
    const [get, post] = requestSchemas(contract);
    expect(get?.schema).toEqual({
      type: "object",
      properties: { q: { type: "string" } },
      required: ["q"],
      additionalProperties: { type: "string" },
    });
    expect(post?.schema).toEqual({
      $ref: "#/$defs/B",
      $defs: { B: { type: "object", properties: { i: { $ref: "#/$defs/I" } } }, I: { type: "string" } },
    });
  });
});
