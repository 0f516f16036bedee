/**
 * In-process: `validateEventNotification` next to its floor (the bare generated validator, plus
 * query parsing for GET) and next to the peers on the same inputs. Run by bench/run.ts.
 */
import * as bare from "../../generated/documented/validators.mjs";
import { validateEventNotification } from "../../src/validate-event-notification.js";
import { childOptions, report } from "../lib/child-report.js";
import type { GroupResult } from "../lib/in-process-group.js";
import { invalidQuery, largeBody, largeInvalidBody, PATH, query, smallBody, smallInvalidBody } from "../lib/inputs.js";
import { type BenchCase, type MeasureOptions, measureGroup, syncBatch } from "../lib/measure.js";
import { elapsed, progress } from "../lib/progress.js";
import { compileAjvValidators } from "../peers/ajv-runtime.js";
import { readContractDocument } from "../peers/contract-document.js";
import { createEovMiddleware, eovRequest, runEov } from "../peers/express-openapi-validator.js";
import { createOpenApiBackend } from "../peers/openapi-backend.js";

const options = childOptions<MeasureOptions>();
const doc = readContractDocument();
const ajv = compileAjvValidators(doc);
const api = await createOpenApiBackend(doc);
const eov = createEovMiddleware(doc);
const postOperation = api.router.getOperation("receiveEventNotificationPost");
if (postOperation === undefined) throw new Error("openapi-backend found no POST operation");

const asyncBatch =
  (op: () => Promise<unknown>) =>
  async (n: number): Promise<number> => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) await op();
    return Number(process.hrtime.bigint() - start);
  };

function postGroup(body: object): BenchCase[] {
  const headers = { "content-type": "application/json" };
  return [
    {
      name: "bare generated validator",
      role: "floor",
      batch: syncBatch(() => bare.receiveEventNotificationPostBody(body)),
    },
    { name: "validateEventNotification", role: "project", batch: syncBatch(() => validateEventNotification(body)) },
    { name: "ajv, compiled at run time", role: "peer", batch: syncBatch(() => ajv.post(body)) },
    {
      name: "openapi-backend validateRequest",
      role: "peer",
      batch: syncBatch(() => api.validateRequest({ method: "POST", path: PATH, body, headers })),
    },
    {
      name: "openapi-backend, operation pre-routed",
      role: "peer",
      batch: syncBatch(() =>
        api.validator.validateRequest({ method: "POST", path: PATH, body, headers }, postOperation),
      ),
    },
    {
      name: "express-openapi-validator middleware",
      role: "peer",
      batch: asyncBatch(() => runEov(eov, eovRequest(PATH, { method: "POST", body }))),
    },
  ];
}

function getStringGroup(qs: string): BenchCase[] {
  return [
    {
      name: "URLSearchParams + bare generated validator",
      role: "floor",
      batch: syncBatch(() => bare.receiveEventNotificationGetQuery(Object.fromEntries(new URLSearchParams(qs)))),
    },
    { name: "validateEventNotification", role: "project", batch: syncBatch(() => validateEventNotification(qs)) },
    {
      name: "URLSearchParams + ajv, compiled at run time",
      role: "peer",
      batch: syncBatch(() => ajv.get(Object.fromEntries(new URLSearchParams(qs)))),
    },
    {
      name: "openapi-backend validateRequest",
      role: "peer",
      batch: syncBatch(() => api.validateRequest({ method: "GET", path: PATH, query: qs, headers: {} })),
    },
    {
      name: "URLSearchParams + express-openapi-validator",
      role: "peer",
      batch: asyncBatch(() =>
        runEov(eov, eovRequest(`${PATH}?${qs}`, { method: "GET", query: Object.fromEntries(new URLSearchParams(qs)) })),
      ),
    },
  ];
}

const params = new URLSearchParams(query);
const record = Object.fromEntries(params);
const groups: [string, string, BenchCase[]][] = [
  ["POST decoded body, small, valid", "bare generated validator", postGroup(smallBody)],
  ["POST decoded body, small, invalid", "bare generated validator", postGroup(smallInvalidBody)],
  ["POST decoded body, 100 items, valid", "bare generated validator", postGroup(largeBody)],
  ["POST decoded body, 100 items, invalid (last item)", "bare generated validator", postGroup(largeInvalidBody)],
  ["GET query string, valid", "URLSearchParams + bare generated validator", getStringGroup(query)],
  ["GET query string, invalid", "URLSearchParams + bare generated validator", getStringGroup(invalidQuery)],
  [
    "GET URLSearchParams, valid",
    "Object.fromEntries + bare generated validator",
    [
      {
        name: "Object.fromEntries + bare generated validator",
        role: "floor",
        batch: syncBatch(() => bare.receiveEventNotificationGetQuery(Object.fromEntries(params))),
      },
      { name: "validateEventNotification", role: "project", batch: syncBatch(() => validateEventNotification(params)) },
    ],
  ],
  [
    "GET record (e.g. Express req.query), valid",
    "bare generated validator",
    [
      {
        name: "bare generated validator",
        role: "floor",
        batch: syncBatch(() => bare.receiveEventNotificationGetQuery(record)),
      },
      {
        name: "validateEventNotification",
        role: "project",
        batch: syncBatch(() => validateEventNotification(record, { delivery: "GET" })),
      },
    ],
  ],
];

// Sanity: a benchmark of a validator that accepts everything would be meaningless.
const verdicts = [
  validateEventNotification(smallBody).ok,
  !validateEventNotification(smallInvalidBody).ok,
  !validateEventNotification(largeInvalidBody).ok,
  !validateEventNotification(invalidQuery).ok,
  api.validateRequest({ method: "POST", path: PATH, body: smallBody, headers: {} }).valid,
  !api.validateRequest({ method: "POST", path: PATH, body: smallInvalidBody, headers: {} }).valid,
  (await runEov(eov, eovRequest(PATH, { method: "POST", body: smallBody }))) === true,
  (await runEov(eov, eovRequest(PATH, { method: "POST", body: largeInvalidBody }))) !== true,
];
if (verdicts.includes(false)) throw new Error(`a validator gave a wrong verdict: ${JSON.stringify(verdicts)}`);

const results: GroupResult[] = [];
for (const [name, floor, cases] of groups) {
  const started = performance.now();
  results.push({ suite: "validate", name, floor, cases: await measureGroup(cases, options) });
  progress(`✔ in-process ${name} (${elapsed(started)})`);
}
report(results);
