/** Job Completion Events: candidates from the Job object (facts §3.5, S25). */
import { inferredMacro } from "./inferred-macro.js";
import type { MacroSpec } from "./macro-spec.js";

const m = (...args: Parameters<typeof inferredMacro> extends [string, ...infer R] ? R : never) =>
  inferredMacro("S25", ...args);

export const jobCompletionMacros: readonly MacroSpec[] = [
  m("Id", "uuid", "Job id", ["d8807a9f-a5ee-4e3f-ad2b-3dfd19d1915f"]),
  m(
    "Type",
    "openEnum",
    "Job type",
    ["DownloadReport"],
    ["DownloadReport", "ApiReport", "UploadAds", "TermModification", "ClickExport"],
  ),
  m("ProgramId", "digitId", "Program the job was for", ["25619"]),
  m(
    "Status",
    "openEnum",
    "Job status (the event fires on completion)",
    ["COMPLETED"],
    ["QUEUED", "RUNNING", "COMPLETED", "CANCELLED", "ERROR", "FAILED"],
  ),
  m("StatusMessage", "text", "Human-readable status", ["Completed"]),
  m("CreatedDate", "dateTime", "When the job was created", ["2022-06-07T04:33:50-05:00"]),
  m("StartedDate", "dateTime", "When the job started", ["2022-06-07T04:33:51-05:00"]),
  m("CompletedDate", "dateTime", "When the job completed", ["2022-06-07T04:35:10-05:00"]),
  m("RecordsProcessed", "digitId", "Records processed", ["1200"]),
  m("PercentageComplete", "digitId", "Progress in percent", ["100"]),
  m("ResultUri", "text", "Relative download path of the result", [
    "/Mediapartners/IRxxxx/Jobs/d8807a9f-a5ee-4e3f-ad2b-3dfd19d1915f/Download",
  ]),
];
