/** `listen`'s text log line: attacker-chosen text (key names, values) must not forge log lines. */

import { describe, expect, it } from "vitest";
import { escapeLogText } from "../../src/cli/escape-log-text.js";
import { formatVerdictLine } from "../../src/cli/format-verdict.js";
import { fail } from "../../src/verify/verify-result.js";

// A percent-decoded query key such as `x%0A08:00:02%20%E2%9C%94%20accepted…%1B[2J` becomes an issue path.
const forged = "/x\n08:00:02 ✔ accepted GET /notifications payout=999.00\u001b[2J\r";

describe("formatVerdictLine", () => {
  it("escapes control characters in issue paths, so one request is one line", () => {
    const result = fail("invalid_notification", "The query repeats a key.", [
      { path: forged, code: "repeated_parameter", message: "is repeated" },
    ]);
    const line = formatVerdictLine({ time: new Date(0), method: "GET", path: "/notifications", status: 422, result });
    expect([...line].filter((c) => c.charCodeAt(0) < 0x20)).toEqual([]);
    expect(line.split("\n")).toHaveLength(1);
    expect(line).toContain("/x\\n08:00:02 ✔ accepted GET /notifications payout=999.00\\u001b[2J\\r");
    expect(line).toMatch(/invalid_notification: \/x\\n.* is repeated$/);
  });

  it("prints ordinary paths and the root unchanged", () => {
    const result = fail("invalid_notification", "Bad.", [
      { path: "/payout", code: "pattern", message: "must be a decimal" },
      { path: "", code: "required", message: "needs action_id" },
    ]);
    const line = formatVerdictLine({ time: new Date(0), method: "POST", path: "/n", status: 422, result });
    expect(line).toMatch(/invalid_notification: \/payout must be a decimal; \(root\) needs action_id$/);
  });
});

describe("escapeLogText", () => {
  it.each([
    ["line feed", "a\nb", "a\\nb"],
    ["ESC", "\u001b[31m", "\\u001b[31m"],
    ["DEL", "a\u007fb", "a\\u007fb"],
    ["C1 CSI", "\u009b2J", "\\u009b2J"],
    ["line separator", "a\u2028b", "a\\u2028b"],
    ["ordinary text", "Base44 é ✓", "Base44 é ✓"],
  ])("%s", (_, given, want) => {
    expect(escapeLogText(given)).toBe(want);
  });
});
