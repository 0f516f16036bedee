/**
 * Synthetic partner templates for the template-scale benchmark: a POST JSON body template with
 * `fields` keys, each a macro declared in the configuration (the catalogue has ~30 action
 * macros; a partner with more declares them, see src/codegen/templates/template-config.ts).
 * Formats cycle through the value grammars of src/formats.ts, so the validator does real work.
 */
const FORMATS = [
  ["decimal", "719.10"],
  ["digitId", "25619"],
  ["dateTime", "2026-05-11T00:07:27+03:00"],
  ["currency", "USD"],
  ["actionId", "1000.4636.158133"],
  ["text", "Purchase"],
] as const;

export interface SyntheticTemplate {
  /** The configuration file's content (openapi/templates/<name>.template.json). */
  readonly config: Record<string, unknown>;
  /** A body that matches it. */
  readonly body: Record<string, string>;
}

export function syntheticTemplate(name: string, fields: number): SyntheticTemplate {
  const template: Record<string, string> = {};
  const body: Record<string, string> = {};
  const macros: Record<string, string> = {};
  for (let i = 0; i < fields; i++) {
    const [format, example] = FORMATS[i % FORMATS.length] as (typeof FORMATS)[number];
    const macro = `BenchField${String(i).padStart(3, "0")}`;
    const key = `field_${String(i).padStart(3, "0")}`;
    template[key] = `{${macro}}`;
    macros[macro] = format;
    body[key] = example;
  }
  return {
    config: {
      description: `Benchmark template with ${fields} fields`,
      kind: "action_lifecycle",
      method: "POST",
      bodyFormat: "JSON",
      url: `https://partner.example.com/bench/${name}`,
      body: JSON.stringify(template, null, 2),
      macros,
    },
    body,
  };
}
