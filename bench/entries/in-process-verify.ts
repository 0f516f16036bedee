/**
 * In-process: `verifyRequest` on a Fetch `Request` next to its floor (read the body, JSON.parse,
 * the bare generated validator; for GET: parse the URL's query) and the peers doing the same
 * reading plus their validation. Requests are built before the clock starts: a Fetch runtime
 * hands them over ready-made, and each body can be read only once.
 */
import * as bare from "../../generated/documented/validators.mjs";
import { verifyRequest } from "../../src/verify/verify-request.js";
import { childOptions, report } from "../lib/child-report.js";
import type { GroupResult } from "../lib/in-process-group.js";
import { bodies, PATH, query } from "../lib/inputs.js";
import { type BenchCase, type MeasureOptions, measureGroup, preparedBatch } from "../lib/measure.js";
import { elapsed, progress } from "../lib/progress.js";
import { readContractDocument } from "../peers/contract-document.js";
import { createEovMiddleware, eovRequest, runEov } from "../peers/express-openapi-validator.js";
import { createOpenApiBackend } from "../peers/openapi-backend.js";

const options = childOptions<MeasureOptions>();
const doc = readContractDocument();
const api = await createOpenApiBackend(doc);
const eov = createEovMiddleware(doc);
const url = `http://127.0.0.1${PATH}`;
/** Bounds the pre-built Requests per sample (memory), whatever the calibration asks for. */
const MAX_BATCH = 20_000;

const post = (text: string) => () =>
  new Request(url, { method: "POST", body: text, headers: { "content-type": "application/json" } });
const get = () => new Request(`${url}?${query}`);

function postGroup(text: string): BenchCase[] {
  const make = post(text);
  return [
    {
      name: "body read + JSON.parse + bare generated validator",
      role: "floor",
      maxBatch: MAX_BATCH,
      batch: preparedBatch(make, async (r) => bare.receiveEventNotificationPostBody(JSON.parse(await r.text()))),
    },
    {
      name: "verifyRequest",
      role: "project",
      maxBatch: MAX_BATCH,
      batch: preparedBatch(make, (r) => verifyRequest(r)),
    },
    {
      name: "body read + JSON.parse + openapi-backend validateRequest",
      role: "peer",
      maxBatch: MAX_BATCH,
      batch: preparedBatch(make, async (r) =>
        api.validateRequest({
          method: "POST",
          path: PATH,
          body: JSON.parse(await r.text()),
          headers: { "content-type": "application/json" },
        }),
      ),
    },
    {
      name: "body read + JSON.parse + express-openapi-validator",
      role: "peer",
      maxBatch: MAX_BATCH,
      batch: preparedBatch(make, async (r) =>
        runEov(eov, eovRequest(PATH, { method: "POST", body: JSON.parse(await r.text()) })),
      ),
    },
  ];
}

const groups: [string, string, BenchCase[]][] = [
  ["POST Request, small, valid", "body read + JSON.parse + bare generated validator", postGroup(bodies.small)],
  ["POST Request, small, invalid", "body read + JSON.parse + bare generated validator", postGroup(bodies.smallInvalid)],
  ["POST Request, 100 items, valid", "body read + JSON.parse + bare generated validator", postGroup(bodies.large)],
  [
    "GET Request, valid",
    "URL query parse + bare generated validator",
    [
      {
        name: "URL query parse + bare generated validator",
        role: "floor",
        maxBatch: MAX_BATCH,
        batch: preparedBatch(get, (r) =>
          bare.receiveEventNotificationGetQuery(Object.fromEntries(new URL(r.url).searchParams)),
        ),
      },
      {
        name: "verifyRequest",
        role: "project",
        maxBatch: MAX_BATCH,
        batch: preparedBatch(get, (r) => verifyRequest(r)),
      },
      {
        name: "openapi-backend validateRequest",
        role: "peer",
        maxBatch: MAX_BATCH,
        batch: preparedBatch(get, (r) =>
          api.validateRequest({ method: "GET", path: PATH, query: new URL(r.url).search.slice(1), headers: {} }),
        ),
      },
    ],
  ],
];

const verdicts = [
  (await verifyRequest(post(bodies.small)())).ok,
  !(await verifyRequest(post(bodies.smallInvalid)())).ok,
  (await verifyRequest(get())).ok,
];
if (verdicts.includes(false)) throw new Error(`verifyRequest gave a wrong verdict: ${JSON.stringify(verdicts)}`);

const results: GroupResult[] = [];
for (const [name, floor, cases] of groups) {
  const started = performance.now();
  results.push({ suite: "verify", name, floor, cases: await measureGroup(cases, options) });
  progress(`✔ in-process ${name} (${elapsed(started)})`);
}
report(results);
