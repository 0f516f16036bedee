/**
 * What the receiver answers, added to every bundled contract so that the document describes the
 * receiver built from it, not only what impact.com sends: an OpenAPI tool run against `listen` or
 * an adapter (a property-based API tester, Prism as a validating proxy) then finds every answer
 * documented. Every operation gets
 *   - 200 with the fixed `{"ok":true}` body (src/verify/to-response.ts);
 *   - 4XX and 5XX as `application/problem+json` (RFC 9457) with the problem body's schema and the
 *     package's codes (src/errors/codes.ts): a 4XX is never acceptable as sent, a 5XX is retried;
 * and a POST's body is required (an empty POST is refused) in JSON and in form encoding, the two
 * the receiver decodes to the same object (src/verify/decode-body.ts), with the same schema.
 */
import { problemCodes } from "../errors/codes.js";
import type { OpenApiDocument } from "./bundle-contract.js";

type Schema = Record<string, unknown>;

export const PROBLEM_SCHEMA_NAME = "ImpactProblem";
const PROBLEM_REF = { $ref: `#/components/schemas/${PROBLEM_SCHEMA_NAME}` };
const JSON_MEDIA = "application/json";
const FORM_MEDIA = "application/x-www-form-urlencoded";

/** The body of every refusal (src/errors/problem.ts `toProblemDetails`, and listen's own 404/503). */
export const problemSchema: Schema = {
  type: "object",
  description: "RFC 9457 problem details: why the notification was refused, as data.",
  required: ["type", "title", "status"],
  properties: {
    type: { type: "string", description: "urn:impact-event-notifications:problem:<code>, or about:blank." },
    title: { type: "string" },
    status: { type: "integer", minimum: 400, maximum: 599 },
    detail: { type: "string" },
    code: { type: "string", enum: Object.keys(problemCodes), description: "Stable code (README, Errors)." },
    issues: {
      type: "array",
      maxItems: 20,
      items: {
        type: "object",
        required: ["path", "code", "message"],
        properties: {
          path: { type: "string", description: "JSON pointer into the notification." },
          code: { type: "string" },
          message: { type: "string" },
        },
      },
    },
    instance: { type: "string" },
  },
};

const refusal = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: PROBLEM_REF } },
});

const responses = {
  "200": {
    description: "Acknowledged; impact.com does not retry.",
    content: {
      [JSON_MEDIA]: {
        schema: { type: "object", required: ["ok"], properties: { ok: { type: "boolean", enum: [true] } } },
      },
    },
  },
  "4XX": refusal("Refused: never acceptable as sent (impact.com retries any non-2xx, in vain)."),
  "5XX": refusal("Not processed now; impact.com retries."),
};

const isRecord = (v: unknown): v is Schema => typeof v === "object" && v !== null && !Array.isArray(v);

/** Adds the receiver's answers and the POST body's requirements to `document`, in place. */
export function describeReceiver(document: OpenApiDocument, name: string): void {
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const method of ["get", "post"] as const) {
      const operation = item[method];
      if (!isRecord(operation)) continue;
      // Documented statuses other than 200 (the vendor's 202) stay; ours are added beside them.
      const given = isRecord(operation.responses) ? operation.responses : {};
      operation.responses = { ...given, ...responses, "200": { ...responses["200"], ...(given["200"] as object) } };
      if (method === "post" && isRecord(operation.requestBody) && isRecord(operation.requestBody.content)) {
        const content = operation.requestBody.content;
        const media = content[JSON_MEDIA] ?? content[FORM_MEDIA] ?? Object.values(content)[0];
        if (!isRecord(media)) throw new Error(`contract "${name}": POST ${path} documents no request body schema`);
        operation.requestBody = {
          ...operation.requestBody,
          required: true,
          content: { [JSON_MEDIA]: content[JSON_MEDIA] ?? media, [FORM_MEDIA]: content[FORM_MEDIA] ?? media },
        };
      }
    }
  }
  document.components ??= {};
  const components = document.components;
  components.schemas ??= {};
  const schemas = components.schemas;
  const existing = schemas[PROBLEM_SCHEMA_NAME];
  if (existing !== undefined && JSON.stringify(existing) !== JSON.stringify(problemSchema)) {
    throw new Error(
      `contract "${name}": components.schemas.${PROBLEM_SCHEMA_NAME} is reserved for the receiver's answers`,
    );
  }
  schemas[PROBLEM_SCHEMA_NAME] = problemSchema;
}
