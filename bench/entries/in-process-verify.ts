/**
 * In-process: `verifyRequest` on a Fetch `Request` next to its floor: read the body, JSON.parse,
 * the bare generated validator (for GET: parse the URL's query). Requests are built before the
 * clock starts: a Fetch runtime hands them over ready-made, and a body can be read only once.
 */
import * as bare from "../../generated/documented/validators.mjs";
import { verifyRequest } from "../../src/verify/verify-request.js";
import { childOptions, report } from "../lib/child-report.js";
import type { GroupResult } from "../lib/in-process-group.js";
import { bodies, PATH, query } from "../lib/inputs.js";
import { type BenchCase, type MeasureOptions, measureGroup, preparedBatch } from "../lib/measure.js";
import { elapsed, progress } from "../lib/progress.js";

const options = childOptions<MeasureOptions>();
const url = `http://127.0.0.1${PATH}`;
/** Bounds the pre-built Requests per sample (memory), whatever the calibration asks for. */
const MAX_BATCH = 20_000;

const post = (text: string) => () =>
  new Request(url, { method: "POST", body: text, headers: { "content-type": "application/json" } });
const get = () => new Request(`${url}?${query}`);

function pair(make: () => Request, floor: (r: Request) => unknown): BenchCase[] {
  return [
    { name: "floor", role: "floor", maxBatch: MAX_BATCH, batch: preparedBatch(make, floor) },
    {
      name: "verifyRequest",
      role: "project",
      maxBatch: MAX_BATCH,
      batch: preparedBatch(make, (r) => verifyRequest(r)),
    },
  ];
}
const postFloor = async (r: Request) => bare.receiveEventNotificationPostBody(JSON.parse(await r.text()));
const groups: [string, string, BenchCase[]][] = [
  [
    "POST Request, small, valid",
    "body read + JSON.parse + bare generated validator",
    pair(post(bodies.small), postFloor),
  ],
  [
    "POST Request, 100 items, valid",
    "body read + JSON.parse + bare generated validator",
    pair(post(bodies.large), postFloor),
  ],
  [
    "GET Request, valid",
    "URL query parse + bare generated validator",
    pair(get, (r) => bare.receiveEventNotificationGetQuery(Object.fromEntries(new URL(r.url).searchParams))),
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
  const measured = await measureGroup(cases, options);
  results.push({
    suite: "verify",
    name,
    floor,
    cases: measured.map((c) => (c.role === "floor" ? { ...c, name: floor } : c)),
  });
  progress(`✔ in-process ${name} (${elapsed(started)})`);
}
report(results);
