/**
 * `inbox` over what the real `listen` recorded: the CLI in child processes, a real SQLite file in
 * a temporary folder, notifications sent by the CLI's `send`, and plain node:http receivers for
 * `replay` that record exactly what arrives.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { replayHeaders, replayPath } from "../../src/cli/commands/inbox-replay.js";
import { maskHeaders, maskTarget, parseTime } from "../../src/cli/commands/inbox-text.js";
import { DEFAULT_INBOX_FILE } from "../../src/cli/commands/listen.js";
import { exitCodes } from "../../src/cli/exit-codes.js";
import { freePort } from "../../src/cli/free-port.js";
import { sqliteInbox } from "../../src/inbox/sqlite.js";
import type { InboxRow, InboxStore } from "../../src/inbox/store.js";
import { type CliRun, type RunCliOptions, type RunningCli, root, runCli, startListen } from "./cli-process.js";

const SECRET = "s3cret";
/** Every text-mode output (not --json, not --help), checked for the secret at the end. */
const textOutputs: string[] = [];

async function cli(args: readonly string[], options: RunCliOptions = {}): Promise<CliRun> {
  const run = await runCli(args, { timeoutMs: 25_000, ...options });
  // (Help texts are fixed text: listen's example secret is "s3cret" too.)
  if (!args.includes("--json") && !args.includes("--help")) textOutputs.push(run.stdout + run.stderr);
  return run;
}

interface Received {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** A receiver that records each request exactly and answers `status`. */
async function recorder(status: number): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks),
      });
      res
        .writeHead(status, { "content-type": "application/problem+json" })
        .end(status < 300 ? "{}" : JSON.stringify({ code: "handler_failed", detail: "the test receiver fails" }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, received, server };
}

const closeServer = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));
const jsonLines = (text: string) =>
  text
    .trim()
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as Record<string, unknown>);

let dir: string;
let file: string;
let listen: (RunningCli & { url: string }) | undefined;
/** The rows as listen stored them, read with src/inbox once it stopped. */
let rows: InboxRow[];
/** One labelled line of `inbox show`. */
const field = (label: string, value: string | undefined) => `  ${label.padEnd(13)} ${value}\n`;
const byStatus = (status: string) => rows.filter((r) => r.status === status);
const withStore = async <T>(work: (store: InboxStore) => Promise<T>) => {
  const store = sqliteInbox({ file });
  try {
    return await work(store);
  } finally {
    await store.close();
  }
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "inbox-cli-"));
  file = join(dir, "inbox.sqlite");
  listen = await startListen(["--inbox", file, "--secret", SECRET]);
  const to = ["--to", listen.url];
  const sends: [readonly string[], number][] = [
    [["--secret", SECRET, "--seed", "1"], 0],
    [["--secret", SECRET, "--seed", "1"], 0], // the same notification again: a duplicate
    [["--secret", SECRET, "--seed", "1", "--set", "payout=5."], 1], // invalid: rejected 422
    [["--secret", SECRET, "--seed", "2", "--method", "POST"], 0],
    [["--secret", SECRET, "--secret-header", "x-impact-secret", "--seed", "3", "--method", "POST"], 0],
    [["--seed", "4", "--method", "POST"], 1], // no secret: 401 before the body is read
  ];
  for (const [args, code] of sends) {
    const run = await cli(["send", ...to, ...args]);
    expect(run.code, run.stderr).toBe(code);
  }
  // Enough rows for replay's progress and its summary-only output.
  const bulk = await cli(["send", ...to, "--secret", SECRET, "--seed", "100", "--count", "24", "--rate", "500"]);
  expect(bulk.code, bulk.stderr).toBe(0);
  expect(await listen.stop("SIGTERM")).toBe(0);
  expect(listen.stderr()).toContain("Stopped.");
  rows = [...(await withStore((store) => store.list({ limit: 1000 })))];
}, 90_000);

afterAll(async () => {
  await listen?.stop("SIGKILL");
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

describe("what listen recorded", () => {
  it("is one row per notification (the duplicate counted), one per refusal", () => {
    expect(rows).toHaveLength(24 + 3 + 2);
    expect(byStatus("pending")).toHaveLength(24 + 3);
    expect(byStatus("rejected").map((r) => r.verdict?.status)).toEqual([422, 401]);
    // Both refused after routing: each is kept with the contract its request was routed to.
    expect(byStatus("rejected").map((r) => r.contract)).toEqual(["documented", "documented"]);
    expect(rows[0]?.duplicates).toBe(1);
    expect(rows[0]?.request.target).toContain(`secret=${SECRET}`);
  });
});

describe("inbox list", () => {
  it("prints a table of the rows with key fields, refusal codes, duplicates, and the counts", async () => {
    const { code, stdout } = await cli(["inbox", "list", "--inbox", file]);
    expect(code).toBe(0);
    const lines = stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^ID\s+RECEIVED\s+STATUS\s+TRIES\s+DUPS\s+CONTRACT\s+REQUEST\s+DETAILS$/);
    expect(lines).toHaveLength(1 + 29 + 1);
    const first = rows[0] as InboxRow;
    const campaign = (first.notification as Record<string, string>).campaign_id;
    expect(lines[1]).toMatch(
      new RegExp(
        `^${first.id}\\s+\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\\s+pending\\s+0\\s+1\\s+documented\\s+GET /notifications\\s+campaign_id=${campaign} action_id=`,
      ),
    );
    const [invalid, unauthorized] = byStatus("rejected");
    expect(lines.find((l) => l.startsWith(`${invalid?.id} `))).toMatch(
      /rejected\s+0\s+0\s+\S+\s+GET \/notifications\s+422 invalid_notification$/,
    );
    expect(lines.find((l) => l.startsWith(`${unauthorized?.id} `))).toMatch(/POST \/notifications\s+401 unauthorized$/);
    expect(lines.at(-1)).toBe(`${file}: 29 rows: 27 pending, 0 leased, 0 done, 0 dead, 2 rejected.`);
  });

  it("--json is one object per row, in id order, with the notification", async () => {
    const { code, stdout } = await cli(["inbox", "list", "--inbox", file, "--json"]);
    expect(code).toBe(0);
    const objects = jsonLines(stdout);
    expect(objects.map((o) => o.id)).toEqual(rows.map((r) => r.id));
    expect(objects[0]).toMatchObject({
      status: "pending",
      duplicates: 1,
      contract: "documented",
      delivery: "GET",
      method: "GET",
      path: "/notifications",
      notification: rows[0]?.notification,
      receivedAt: new Date(rows[0]?.request.receivedAt as number).toISOString(),
    });
    expect(stdout).not.toContain(SECRET);
  });

  it("--status rejected lists the refusals only", async () => {
    const { code, stdout } = await cli(["inbox", "list", "--inbox", file, "--status", "rejected", "--json"]);
    expect(code).toBe(0);
    const objects = jsonLines(stdout);
    expect(objects.map((o) => o.id)).toEqual(byStatus("rejected").map((r) => r.id));
    expect(objects.map((o) => (o.verdict as { code: string }).code)).toEqual(["invalid_notification", "unauthorized"]);
  });

  it("--since, --until (ISO or an age) and --limit narrow it; --after pages", async () => {
    const ids = async (...args: string[]) =>
      jsonLines((await cli(["inbox", "list", "--inbox", file, "--json", ...args])).stdout).map((o) => o.id);
    const middle = rows[10] as InboxRow;
    expect(await ids("--since", "1h")).toHaveLength(29);
    expect(await ids("--until", "1h")).toEqual([]);
    expect(await ids("--since", new Date(middle.request.receivedAt).toISOString(), "--limit", "3")).toEqual(
      rows
        .filter((r) => r.request.receivedAt >= middle.request.receivedAt)
        .map((r) => r.id)
        .slice(0, 3),
    );
    expect(await ids("--limit", "2", "--after", String(rows[1]?.id))).toEqual([rows[2]?.id, rows[3]?.id]);
    const limited = await cli(["inbox", "list", "--inbox", file, "--limit", "5"]);
    expect(limited.stdout).toContain(`First 5 shown; the next ones with --after ${rows[4]?.id}`);
    const none = await cli(["inbox", "list", "--inbox", file, "--until", "2000-01-01"]);
    expect(none.stdout).toMatch(/^No rows match\.\n/);
  });

  it.each([
    [["--status", "nope"], /--status must be one of pending, leased, done, dead, rejected/],
    [["--since", "yesterday"], /--since must be an ISO 8601 date or time .* or an age like 30m/],
    [["--since", "1h", "--until", "2h"], /--since .* must be before --until/],
    [["--limit", "0"], /--limit must be a whole number from 1/],
  ])("%j is a usage error", async (args, message) => {
    const { code, stderr, stdout } = await cli(["inbox", "list", "--inbox", file, ...args]);
    expect(code).toBe(exitCodes.usage);
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toMatch(message);
    expect(stdout).toBe("");
  });
});

describe("inbox show", () => {
  it("shows a GET row with the secret masked and the notification as JSON", async () => {
    const row = rows[0] as InboxRow;
    const { code, stdout } = await cli(["inbox", "show", String(row.id), "--inbox", file]);
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`^#${row.id}\n`));
    expect(stdout).toContain(field("status", "pending"));
    expect(stdout).toContain(`GET ${row.request.target.replace(`secret=${SECRET}`, "secret=***")}\n`);
    expect(stdout).toContain(field("duplicates", "1"));
    expect(stdout).toContain(field("body", "0 bytes"));
    expect(stdout).toContain(field("key", row.notificationKey));
    expect(stdout).toContain(field("order key", row.orderKey));
    expect(stdout).toContain("user-agent: Impact-Postback-Client/1.0");
    expect(stdout).toContain(
      `  notification\n    {\n      "campaign_id": "${(row.notification as Record<string, string>).campaign_id}"`,
    );
  });

  it("masks a secret sent in a header, and gives the body's size only", async () => {
    const row = rows.find((r) => r.request.headers["x-impact-secret"] !== undefined) as InboxRow;
    expect(row.request.headers["x-impact-secret"]).toBe(SECRET);
    const { code, stdout } = await cli(["inbox", "show", String(row.id), "--inbox", file]);
    expect(code).toBe(0);
    expect(stdout).toContain("x-impact-secret: ***\n");
    expect(stdout).toContain(field("body", `${row.request.body.byteLength} bytes`));
    expect(stdout).not.toContain(Buffer.from(row.request.body).toString());
  });

  it("shows a refusal's verdict", async () => {
    const row = byStatus("rejected")[0] as InboxRow;
    const { code, stdout } = await cli(["inbox", "show", String(row.id), "--inbox", file]);
    expect(code).toBe(0);
    expect(stdout).toContain(field("verdict", "422 invalid_notification: ").trimEnd());
    expect(stdout).toContain("payout=5.");
    expect(stdout).not.toContain("  notification\n");
  });

  it("--json gives the whole stored request: target, headers, body as base64 and as text", async () => {
    const row = rows.find((r) => r.request.method === "POST" && r.status === "pending") as InboxRow;
    const { code, stdout } = await cli(["inbox", "show", String(row.id), "--inbox", file, "--json"]);
    expect(code).toBe(0);
    const shown = JSON.parse(stdout) as { request: Record<string, unknown> } & Record<string, unknown>;
    expect(shown.id).toBe(row.id);
    expect(shown.notification).toEqual(row.notification);
    expect(shown.request.target).toBe(row.request.target);
    expect(shown.request.target).toContain(`secret=${SECRET}`);
    expect(shown.request.headers).toEqual(row.request.headers);
    expect(Buffer.from(shown.request.body as string, "base64").equals(Buffer.from(row.request.body))).toBe(true);
    expect(shown.request.bodyText).toBe(Buffer.from(row.request.body).toString("utf8"));
    expect(shown.request.bodyTruncated).toBe(false);
  });

  it("an unknown id exits 1 saying so", async () => {
    const { code, stderr, stdout } = await cli(["inbox", "show", "99999", "--inbox", file]);
    expect(code).toBe(exitCodes.rejected);
    expect(stderr).toBe(`error: No row #99999 in ${file} (\`inbox list\` shows the ids).\n`);
    expect(stdout).toBe("");
  });
});

describe("inbox retry", () => {
  const error = `Error: ${"the partner API refused the commission ".repeat(6)}`;
  let dead: InboxRow;

  beforeAll(async () => {
    dead = await withStore(async (store) => {
      const [leased] = await store.lease(1, 60_000);
      if (leased === undefined) throw new Error("nothing to lease");
      expect(await store.fail(leased.id, leased.token, error, undefined)).toBe(true);
      return (await store.get(leased.id)) as InboxRow;
    });
    expect(dead.status).toBe("dead");
  });

  it("list shows a dead row with its last error, cut", async () => {
    const { stdout } = await cli(["inbox", "list", "--inbox", file, "--status", "dead"]);
    const line = stdout.split("\n").find((l) => l.startsWith(`${dead.id} `)) as string;
    expect(line).toMatch(/dead\s+1\s+1\s+documented\s+GET \/notifications\s+last error: Error: the partner API/);
    expect(line).toContain("…");
    expect(line).not.toContain(error.trim());
    expect(stdout).toContain("26 pending, 0 leased, 0 done, 1 dead, 2 rejected.");
    const shown = await cli(["inbox", "show", String(dead.id), "--inbox", file]);
    expect(shown.stdout).toContain(field("last error", error));
  });

  it("ids that are not dead or done are reported, and exit 1", async () => {
    const pending = byStatus("pending").at(-1) as InboxRow;
    const rejected = byStatus("rejected")[0] as InboxRow;
    const { code, stdout } = await cli(["inbox", "retry", String(pending.id), String(rejected.id), "--inbox", file]);
    expect(code).toBe(exitCodes.rejected);
    expect(stdout).toBe(
      [
        "Made 0 row(s) pending again.",
        `#${pending.id} is pending: not retried (only dead or done rows are).`,
        `#${rejected.id} is rejected: not retried (only dead or done rows are).`,
        "",
      ].join("\n"),
    );
  });

  it("--dead makes every dead row pending again, attempts reset", async () => {
    const { code, stdout } = await cli(["inbox", "retry", "--dead", "--inbox", file]);
    expect(code).toBe(0);
    expect(stdout).toBe("Made 1 dead row(s) pending again.\n");
    const row = await withStore((store) => store.get(dead.id));
    expect(row).toMatchObject({ status: "pending", attempts: 0 });
    const again = await cli(["inbox", "retry", "--dead", "--inbox", file, "--json"]);
    expect(JSON.parse(again.stdout)).toEqual({ retried: 0, skipped: [] });
  });

  it("by id: a dead row is retried", async () => {
    await withStore(async (store) => {
      const [leased] = await store.lease(1, 60_000);
      if (leased === undefined) throw new Error("nothing to lease");
      await store.fail(leased.id, leased.token, "Error: again", undefined);
      const { code, stdout } = await cli(["inbox", "retry", `#${leased.id}`, "--inbox", file, "--json"]);
      expect(code).toBe(0);
      expect(JSON.parse(stdout)).toEqual({ retried: 1, ids: [leased.id], skipped: [] });
      expect((await store.get(leased.id))?.status).toBe("pending");
    });
  });
});

describe("inbox stats", () => {
  it("counts per status and the oldest pending row's age", async () => {
    const text = await cli(["inbox", "stats", "--inbox", file]);
    expect(text.code).toBe(0);
    const oldest = byStatus("pending")[0] as InboxRow;
    expect(text.stdout).toMatch(
      new RegExp(`^${file}\n {2}pending\\s+27\\s+oldest #${oldest.id}, received (\\d+ s|\\d+m \\d+s) ago\n`),
    );
    expect(text.stdout).toMatch(/ {2}rejected\s+2\n {2}total\s+29\n$/);
    const { stdout } = await cli(["inbox", "stats", "--inbox", file, "--json"]);
    const stats = JSON.parse(stdout);
    expect(stats).toMatchObject({
      location: file,
      counts: { pending: 27, leased: 0, done: 0, dead: 0, rejected: 2 },
      total: 29,
      oldestPending: { id: oldest.id, receivedAt: new Date(oldest.request.receivedAt).toISOString() },
    });
    expect(stats.oldestPending.ageMs).toBeGreaterThan(0);
    expect(stats.oldestPending.ageMs).toBeLessThan(120_000);
  });
});

describe("inbox replay", () => {
  it("re-sends GET and POST rows byte for byte: method, target, headers, body", async () => {
    const receiver = await recorder(200);
    try {
      const get = rows[0] as InboxRow;
      const post = rows.find((r) => r.request.method === "POST" && r.status === "pending") as InboxRow;
      expect(post.request.body.byteLength).toBeGreaterThan(50);
      const { code, stdout } = await cli([
        "inbox",
        "replay",
        String(get.id),
        String(post.id),
        "--to",
        receiver.url,
        "--inbox",
        file,
      ]);
      expect(code).toBe(0);
      expect(stdout).toMatch(new RegExp(`^✔ #${get.id} GET /notifications → 200 in [\\d.]+ ms$`, "m"));
      expect(stdout).toMatch(new RegExp(`^✔ #${post.id} POST /notifications → 200 in [\\d.]+ ms$`, "m"));
      expect(stdout).toMatch(/Replayed to http:\/\/127\.0\.0\.1:\d+: 2 in .*200 ×2/);
      expect(receiver.received).toHaveLength(2);
      const g = receiver.received.find((r) => r.method === "GET") as Received;
      const p = receiver.received.find((r) => r.method === "POST") as Received;
      expect(g.method).toBe("GET");
      expect(g.url).toBe(get.request.target);
      expect(g.body.byteLength).toBe(0);
      expect(g.headers["content-length"]).toBeUndefined();
      expect(p.method).toBe("POST");
      expect(p.url).toBe(post.request.target);
      expect(p.body.equals(Buffer.from(post.request.body))).toBe(true);
      expect(p.headers["content-length"]).toBe(String(post.request.body.byteLength));
      for (const [r, row] of [
        [g, get],
        [p, post],
      ] as const) {
        expect(r.headers.host).toBe(new URL(receiver.url).host);
        expect(r.headers["user-agent"]).toBe(row.request.headers["user-agent"]);
        expect(r.headers["accept-encoding"]).toBe(row.request.headers["accept-encoding"]);
        expect(r.headers["content-type"]).toBe(row.request.headers["content-type"]);
      }
    } finally {
      await closeServer(receiver.server);
    }
  });

  it("a --to path is a prefix of the stored target; --since selects by time, --status by state", async () => {
    const receiver = await recorder(200);
    try {
      const { code, stdout, stderr } = await cli([
        "inbox",
        "replay",
        "--since",
        "1h",
        "--status",
        "pending",
        "--to",
        `${receiver.url}/staging/`,
        "--rate",
        "4",
        "--inbox",
        file,
      ]);
      expect(code).toBe(0);
      const pending = byStatus("pending");
      expect(receiver.received.map((r) => r.url).sort()).toEqual(
        pending.map((r) => `/staging${r.request.target}`).sort(),
      );
      // More than 20: the answers are summed up, not listed, with progress on stderr.
      expect(stdout).not.toContain("✔");
      expect(stdout).toMatch(/^Replayed to http:\/\/127\.0\.0\.1:\d+\/staging: 27 in .*200 ×27/);
      // 27 at 4/s take about 7 s: a progress line every 5 s.
      expect(stderr).toMatch(/^replayed \d+\/27…$/m);
    } finally {
      await closeServer(receiver.server);
    }
  }, 40_000);

  it("exits 1 when the receiver answers 500, saying why", async () => {
    const receiver = await recorder(500);
    try {
      const row = rows[0] as InboxRow;
      const { code, stdout } = await cli(["inbox", "replay", String(row.id), "--to", receiver.url, "--inbox", file]);
      expect(code).toBe(exitCodes.rejected);
      expect(stdout).toMatch(
        new RegExp(`^✖ #${row.id} GET /notifications → 500 handler_failed: the test receiver fails`),
      );
      expect(receiver.received).toHaveLength(1);
    } finally {
      await closeServer(receiver.server);
    }
  });

  it("skips a refusal kept without its body, and exits 1", async () => {
    const receiver = await recorder(200);
    try {
      const [invalid, unauthorized] = byStatus("rejected") as [InboxRow, InboxRow];
      expect(unauthorized.request.bodyTruncated).toBe(true); // refused before its body was read
      const { code, stdout } = await cli([
        ...["inbox", "replay", "--since", "1h", "--status", "rejected"],
        ...["--to", receiver.url, "--inbox", file, "--json"],
      ]);
      expect(code).toBe(exitCodes.rejected);
      const out = JSON.parse(stdout);
      expect(out.results.map((r: { id: number; status: number }) => [r.id, r.status])).toEqual([[invalid.id, 200]]);
      expect(out.skipped).toEqual([{ id: unauthorized.id, reason: expect.stringMatching(/not stored whole/) }]);
      expect(receiver.received.map((r) => r.url)).toEqual([invalid.request.target]);
    } finally {
      await closeServer(receiver.server);
    }
  });

  it("exits 3 when nothing answers", async () => {
    const port = await freePort();
    const { code, stderr } = await cli([
      "inbox",
      "replay",
      String(rows[0]?.id),
      "--to",
      `http://127.0.0.1:${port}`,
      "--inbox",
      file,
    ]);
    expect(code).toBe(exitCodes.environment);
    expect(stderr).toMatch(new RegExp(`^error: Cannot reach http://127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)`, "m"));
  });

  it.each([
    [["--to", "http://127.0.0.1:9"], /needs row ids .* or --since T/],
    [["1", "--since", "1h", "--to", "http://127.0.0.1:9"], /row ids or --since .*, not both/],
    [["1"], /needs --to URL/],
    [["1", "--to", "http://127.0.0.1:9/x?secret=1"], /no query or credentials/],
    [["abc", "--to", "http://127.0.0.1:9"], /"abc" is not a row id/],
  ])("%j is a usage error", async (args, message) => {
    const { code, stderr } = await cli(["inbox", "replay", ...args, "--inbox", file]);
    expect(code).toBe(exitCodes.usage);
    expect(stderr).toMatch(message);
  });

  it("an unknown id sends nothing and exits 1", async () => {
    const receiver = await recorder(200);
    try {
      const { code, stderr } = await cli([
        "inbox",
        "replay",
        String(rows[0]?.id),
        "99999",
        "--to",
        receiver.url,
        "--inbox",
        file,
      ]);
      expect(code).toBe(exitCodes.rejected);
      expect(stderr).toMatch(/No row #99999 .*nothing replayed/);
      expect(receiver.received).toHaveLength(0);
    } finally {
      await closeServer(receiver.server);
    }
  });
});

describe("inbox prune", () => {
  it("needs --older-than", async () => {
    const { code, stderr } = await cli(["inbox", "prune", "--inbox", file]);
    expect(code).toBe(exitCodes.usage);
    expect(stderr).toMatch(/needs --older-than AGE/);
    const bad = await cli(["inbox", "prune", "--older-than", "soon", "--inbox", file]);
    expect(bad.code).toBe(exitCodes.usage);
    expect(bad.stderr).toMatch(/--older-than must be an age like 30m, 12h or 30d/);
  });

  it("deletes only done, dead and rejected rows older than the age", async () => {
    // One done row, so that something besides the refusals may go.
    const done = await withStore(async (store) => {
      const [leased] = await store.lease(1, 60_000);
      if (leased === undefined) throw new Error("nothing to lease");
      await store.complete(leased.id, leased.token);
      return leased.id;
    });
    const young = await cli(["inbox", "prune", "--older-than", "1h", "--inbox", file]);
    expect(young.code).toBe(0);
    expect(young.stdout).toMatch(/^Deleted 0 done, dead or rejected row\(s\) received before \d{4}-/);
    const { code, stdout } = await cli(["inbox", "prune", "--older-than", "1s", "--inbox", file, "--json"]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).deleted).toBe(3);
    const left = await withStore((store) => store.list({ limit: 1000 }));
    expect(left.map((r) => r.status)).toEqual(Array(26).fill("pending"));
    expect(left.map((r) => r.id)).not.toContain(done);
  });
});

describe("inbox migrate and the default inbox", () => {
  it("migrate creates the schema in a new file; list then finds it empty", async () => {
    const fresh = join(dir, "fresh.sqlite");
    const { code, stdout } = await cli(["inbox", "migrate", "--inbox", fresh]);
    expect(code).toBe(0);
    expect(stdout).toBe(`The inbox schema at ${fresh} is up to date.\n`);
    expect(existsSync(fresh)).toBe(true);
    const listed = await cli(["inbox", "list", "--inbox", fresh]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toBe(`No rows match.\n${fresh}: 0 rows: 0 pending, 0 leased, 0 done, 0 dead, 0 rejected.\n`);
  });

  it("without --inbox, reads ./.impact-inbox.sqlite, and says how to get one when it is missing", async () => {
    const empty = mkdtempSync(join(tmpdir(), "inbox-default-"));
    try {
      for (const command of ["list", "stats", "prune --older-than 1d", "show 1"]) {
        const { code, stderr, stdout } = await cli(["inbox", ...command.split(" ")], { cwd: empty });
        expect(code, command).toBe(exitCodes.environment);
        expect(stderr).toBe(
          `error: no inbox at ${join(empty, DEFAULT_INBOX_FILE)}: run \`impact-event-notifications listen\` first, or pass --inbox FILE|URL.\n`,
        );
        expect(stdout).toBe("");
      }
      expect(existsSync(join(empty, DEFAULT_INBOX_FILE))).toBe(false);
      const migrated = await cli(["inbox", "migrate"], { cwd: empty });
      expect(migrated.code).toBe(0);
      expect(existsSync(join(empty, DEFAULT_INBOX_FILE))).toBe(true);
      const stats = await cli(["inbox", "stats", "--json"], { cwd: empty });
      expect(JSON.parse(stats.stdout)).toMatchObject({ location: join(empty, DEFAULT_INBOX_FILE), total: 0 });
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it("a file with no inbox table says to migrate", async () => {
    const other = join(dir, "other.sqlite");
    // A SQLite file with a table of its own, written through the driver the store uses
    // (better-sqlite3, or node:sqlite where its build does not load).
    const { execFileSync } = await import("node:child_process");
    execFileSync(
      process.execPath,
      [
        "--no-warnings",
        "-e",
        `let D; try { D = require("better-sqlite3"); new D(":memory:").close(); } catch { D = require("node:sqlite").DatabaseSync; }
       const db = new D(${JSON.stringify(other)}); db.exec("CREATE TABLE t (a)"); db.close();`,
      ],
      { cwd: root },
    );
    const { code, stderr } = await cli(["inbox", "list", "--inbox", other]);
    expect(code).toBe(exitCodes.environment);
    expect(stderr).toMatch(
      /holds no inbox yet: run `impact-event-notifications inbox migrate --inbox .*other\.sqlite`/,
    );
  });
});

describe("the inbox command line", () => {
  it("inbox --help shows every subcommand, the default file, examples and the exit codes", async () => {
    const { code, stdout } = await cli(["inbox", "--help"]);
    expect(code).toBe(0);
    for (const sub of ["list", "show", "retry", "replay", "prune", "migrate", "stats"]) {
      expect(stdout).toMatch(new RegExp(`^ {2}${sub} `, "m"));
    }
    expect(stdout).toContain(`[./${DEFAULT_INBOX_FILE}]`);
    expect(stdout).toContain("Examples:");
    expect(stdout).toContain("Exit codes:");
    const listenHelp = await cli(["listen", "--help"]);
    expect(listenHelp.stdout).toMatch(/--inbox FILE\|URL .*\n.*\[\.\/\.impact-inbox\.sqlite\]\n {2}--no-inbox /);
    expect(listenHelp.stdout).toContain(`[./${DEFAULT_INBOX_FILE}]`);
    const general = await cli(["--help"]);
    expect(general.stdout).toMatch(/^ {2}inbox {6}/m);
    expect(general.stdout).toContain("impact-event-notifications inbox");
  });

  it.each([
    [[], /inbox needs a subcommand: list, show, retry, replay, prune, migrate, stats/],
    [["frob"], /Unknown inbox subcommand "frob"/],
    [["toString"], /Unknown inbox subcommand "toString"/],
    [["show"], /inbox show needs a row id/],
    [["retry"], /needs row ids .* or --dead/],
    [["retry", "1", "--dead"], /row ids or --dead, not both/],
    [["list", "--bogus"], /Unknown option '--bogus'.*inbox list --help/],
  ])("%j is a usage error, on one line", async (args, message) => {
    const { code, stderr, stdout } = await cli(["inbox", ...args]);
    expect(code).toBe(exitCodes.usage);
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toMatch(message);
    expect(stdout).toBe("");
  });
});

describe("masking", () => {
  it("text output never held the secret, though the stored rows do", () => {
    expect(textOutputs.length).toBeGreaterThan(25);
    expect(textOutputs.join("\n")).toMatch(/secret=\*\*\*/);
    for (const output of textOutputs) expect(output).not.toContain(SECRET);
    expect(rows.filter((r) => JSON.stringify(r.request).includes(SECRET)).length).toBeGreaterThan(25);
  });

  it("masks secret-looking parameters, and on accepted rows any that is not a field", () => {
    const target = "/n?a=1&Token=t0k&api%5Fkey=k&x=2&signature=s&flag&password=p";
    expect(maskTarget(target)).toBe("/n?a=1&Token=***&api%5Fkey=***&x=2&signature=***&flag&password=***");
    expect(maskTarget("/n?a=1&t=hidden&flag", new Set(["a"]))).toBe("/n?a=1&t=***&***");
    expect(maskTarget("/n?a=\u001b[2J")).toBe("/n?a=\\u001b[2J");
    expect(
      maskHeaders({ "x-impact-secret": "s", authorization: "Bearer b", "x-api-token": "t", accept: "*/*" }),
    ).toEqual(["x-impact-secret: ***", "authorization: ***", "x-api-token: ***", "accept: */*"]);
  });

  it("replay drops hop-by-hop headers only, and joins paths as documented", () => {
    expect(
      replayHeaders({
        host: "a",
        connection: "keep-alive, x-hop",
        "x-hop": "1",
        "keep-alive": "timeout=5",
        "transfer-encoding": "chunked",
        "content-length": "3",
        "user-agent": "Impact-Postback-Client/1.0",
        "x-impact-secret": "s",
      }),
    ).toEqual({ "user-agent": "Impact-Postback-Client/1.0", "x-impact-secret": "s" });
    expect(replayPath(new URL("http://h:1"), "/n?a=1")).toBe("/n?a=1");
    expect(replayPath(new URL("http://h:1/"), "/n?a=1")).toBe("/n?a=1");
    expect(replayPath(new URL("http://h:1/p/"), "/n?a=1")).toBe("/p/n?a=1");
    expect(replayPath(new URL("http://h:1/p"), "http://other/n?a=1")).toBe("/p/n?a=1");
    expect(replayPath(new URL("http://h:1"), "*")).toBeUndefined();
  });

  it("times are ISO 8601 or an age before now", () => {
    const now = Date.parse("2026-12-03T12:00:00Z");
    expect(parseTime("since", "30m", now)).toBe(now - 30 * 60_000);
    expect(parseTime("since", "7d", now)).toBe(now - 7 * 86_400_000);
    expect(parseTime("since", "2026-12-01", now)).toBe(Date.parse("2026-12-01T00:00:00Z"));
    expect(parseTime("since", "2026-12-01T09:30:00+01:00", now)).toBe(Date.parse("2026-12-01T08:30:00Z"));
    expect(() => parseTime("since", "12/01/2026", now)).toThrow(/ISO 8601/);
  });
});
