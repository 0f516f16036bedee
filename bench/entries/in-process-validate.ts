/**
 * In-process: `validateEventNotification` next to its floor, the bare generated validator (plus
 * query parsing for a GET query string), on each input a receiver hands it. Run by bench/run.ts.
 */
import * as bare from "../../generated/documented/validators.mjs";
import { validateEventNotification } from "../../src/validate-event-notification.js";
import { childOptions, report } from "../lib/child-report.js";
import type { GroupResult } from "../lib/in-process-group.js";
import { invalidQuery, largeBody, query, smallBody, smallInvalidBody } from "../lib/inputs.js";
import { type BenchCase, type MeasureOptions, measureGroup, syncBatch } from "../lib/measure.js";
import { elapsed, progress } from "../lib/progress.js";

const options = childOptions<MeasureOptions>();
const pair = (floor: () => unknown, project: () => unknown): BenchCase[] => [
  { name: "floor", role: "floor", batch: syncBatch(floor) },
  { name: "validateEventNotification", role: "project", batch: syncBatch(project) },
];
const post = (body: object) =>
  pair(
    () => bare.receiveEventNotificationPostBody(body),
    () => validateEventNotification(body),
  );
const params = new URLSearchParams(query);
const record = Object.fromEntries(params);
const groups: [string, string, BenchCase[]][] = [
  ["POST decoded body, small, valid", "bare generated validator", post(smallBody)],
  ["POST decoded body, small, invalid", "bare generated validator", post(smallInvalidBody)],
  ["POST decoded body, 100 items, valid", "bare generated validator", post(largeBody)],
  [
    "GET query string, valid",
    "URLSearchParams + bare generated validator",
    pair(
      () => bare.receiveEventNotificationGetQuery(Object.fromEntries(new URLSearchParams(query))),
      () => validateEventNotification(query),
    ),
  ],
  [
    "GET URLSearchParams, valid",
    "Object.fromEntries + bare generated validator",
    pair(
      () => bare.receiveEventNotificationGetQuery(Object.fromEntries(params)),
      () => validateEventNotification(params),
    ),
  ],
  [
    "GET record (e.g. Express req.query), valid",
    "bare generated validator",
    pair(
      () => bare.receiveEventNotificationGetQuery(record),
      () => validateEventNotification(record, { delivery: "GET" }),
    ),
  ],
];

// A benchmark of a validator that accepts everything would be meaningless.
const verdicts = [
  validateEventNotification(smallBody).ok,
  !validateEventNotification(smallInvalidBody).ok,
  !validateEventNotification(invalidQuery).ok,
];
if (verdicts.includes(false)) throw new Error(`a wrong verdict: ${JSON.stringify(verdicts)}`);

const results: GroupResult[] = [];
for (const [name, floor, cases] of groups) {
  const started = performance.now();
  const measured = await measureGroup(cases, options);
  results.push({
    suite: "validate",
    name,
    floor,
    cases: measured.map((c) => (c.role === "floor" ? { ...c, name: floor } : c)),
  });
  progress(`✔ in-process ${name} (${elapsed(started)})`);
}
report(results);
