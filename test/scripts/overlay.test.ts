import { describe, expect, test } from "vitest";
import { queryJsonPath } from "../../src/codegen/jsonpath.js";
import { applyOverlay, assertOverlay, type Overlay } from "../../src/codegen/overlay.js";

const doc = {
  paths: {
    "/p": {
      get: {
        parameters: [
          { name: "a", schema: { type: "string" } },
          { name: "b", schema: { type: "string" } },
        ],
      },
    },
  },
  components: { schemas: { X: { properties: { qty: { type: "string" }, amt: { type: "string" }, sku: {} } } } },
};

describe("JSONPath subset", () => {
  const cases: [string, { given: string; want: unknown[] }][] = [
    ["dot names", { given: "$.components.schemas.X.properties.sku", want: [{}] }],
    ["quoted name with a slash", { given: "$.paths['/p'].get.parameters[1].schema.type", want: ["string"] }],
    ["double-quoted name", { given: '$.paths["/p"].get.parameters[0].name', want: ["a"] }],
    ["filter (RFC 9535 form)", { given: "$.paths['/p'].get.parameters[?@.name == 'b'].name", want: ["b"] }],
    ["filter (legacy parenthesised form)", { given: "$.paths['/p'].get.parameters[?(@.name=='a')].name", want: ["a"] }],
    ["union of names", { given: "$.components.schemas.X.properties['qty','amt'].type", want: ["string", "string"] }],
    ["wildcard", { given: "$.paths['/p'].get.parameters[*].name", want: ["a", "b"] }],
    ["no match", { given: "$.paths['/q']", want: [] }],
  ];
  test.each(cases)("%s", (_, { given, want }) => {
    expect(queryJsonPath(doc, given).map((n) => n.value)).toEqual(want);
  });

  test("unsupported syntax is an error, not a silent miss", () => {
    expect(() => queryJsonPath(doc, "$..name")).toThrow(/unsupported JSONPath/);
    expect(() => queryJsonPath(doc, "paths")).toThrow(/must start with "\$"/);
  });
});

describe("applyOverlay", () => {
  const overlay = (actions: Overlay["actions"]): Overlay => ({
    overlay: "1.0.0",
    info: { title: "t", version: "1" },
    actions,
  });

  test("merges updates and leaves the input untouched", () => {
    const result = applyOverlay(
      doc,
      overlay([{ target: "$.components.schemas.X.properties['qty','amt']", update: { pattern: "^x$" } }]),
      "o",
    );
    expect(result.components.schemas.X.properties.qty).toEqual({ type: "string", pattern: "^x$" });
    expect(result.components.schemas.X.properties.amt).toEqual({ type: "string", pattern: "^x$" });
    expect(doc.components.schemas.X.properties.qty).toEqual({ type: "string" });
  });

  test("removes", () => {
    const result = applyOverlay(doc, overlay([{ target: "$.components.schemas.X.properties.sku", remove: true }]), "o");
    expect(Object.keys(result.components.schemas.X.properties)).toEqual(["qty", "amt"]);
  });

  test("removes several elements of one array, however many are selected", () => {
    const tags = { tags: [{ name: "a" }, { name: "b" }, { name: "c" }, { name: "d" }] };
    expect(applyOverlay(tags, overlay([{ target: "$.tags[*]", remove: true }]), "o")).toEqual({ tags: [] });
    const kinds = { tags: [{ k: "x" }, { k: "y" }, { k: "x" }, { k: "x" }, { k: "y" }] };
    const some = applyOverlay(kinds, overlay([{ target: "$.tags[?@.k == 'x']", remove: true }]), "o");
    expect(some).toEqual({ tags: [{ k: "y" }, { k: "y" }] });
    const params = applyOverlay(doc, overlay([{ target: "$.paths['/p'].get.parameters[*]", remove: true }]), "o");
    expect(params.paths["/p"].get.parameters).toEqual([]);
  });

  test("a target that selects nothing fails: the vendor contract changed under the overlay", () => {
    expect(() =>
      applyOverlay(doc, overlay([{ target: "$.components.schemas.Gone", update: {} }]), "rules.overlay.yaml"),
    ).toThrow(/rules\.overlay\.yaml: actions\[0\] target .* selects nothing/);
  });

  test("rejects documents that are not overlays", () => {
    expect(() => assertOverlay({ actions: [] }, "x.yaml")).toThrow(/not an OpenAPI Overlay/);
    expect(() => assertOverlay({ overlay: "1.0.0", actions: [{ target: "$.a" }] }, "x.yaml")).toThrow(
      /needs "update" or "remove/,
    );
  });
});
