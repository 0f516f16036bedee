/**
 * `inbox`: look at and act on what `listen` (or your own `createInbox`) recorded. Every
 * subcommand takes `--inbox FILE|URL` (default ./.impact-inbox.sqlite, as `listen`) and `--json`.
 * Text output never shows a body, and masks what may be the shared secret (query parameters and
 * headers named like one); `show --json` gives the whole stored request, as the user asked for it.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { Inbox } from "../../inbox/create-inbox.js";
import { INBOX_STATUSES, type InboxRow, type InboxStatus, type ListFilter } from "../../inbox/store.js";
import type { SendResult } from "../../testing/index.js";
import { pathOf } from "../../verify/decode-parameters.js";
import { CliError } from "../cli-error.js";
import { describeResponse } from "../describe-response.js";
import { escapeLogText } from "../escape-log-text.js";
import { type ExitCode, exitCodes } from "../exit-codes.js";
import { BIN } from "../help.js";
import { keyFields } from "../key-fields.js";
import { formatSummary, summarize } from "../latency-summary.js";
import { isPostgresUrl, openCliInbox } from "../open-inbox.js";
import { integerOption, numberOption, parseOptions } from "../parse-options.js";
import { createReplayer, replayPath } from "./inbox-replay.js";
import {
  controlSafe,
  cut,
  formatAge,
  isoTime,
  maskHeaders,
  maskTarget,
  notificationFields,
  parseAge,
  parseTime,
  prettyJson,
  table,
} from "./inbox-text.js";
import { DEFAULT_INBOX_FILE } from "./listen.js";

const common = {
  inbox: { type: "string" },
  json: { type: "boolean" },
} as const;

/** Rows read per query when a command walks many of them. */
const PAGE = 500;
const MAX_LIST = 1_000_000;
const MAX_IN_FLIGHT = 64;
/** `replay` shows each answer when it sends this many or fewer; only the refused ones beyond. */
const EACH_ANSWER_UP_TO = 20;
/** The most refused answers `replay` prints one by one (the summary counts them all). */
const MAX_REFUSED_LINES = 50;

const write = (line: string) => process.stdout.write(`${line}\n`);
const json = (value: unknown) => write(JSON.stringify(value));

// ---------------------------------------------------------------------------------------------
// Opening the inbox

/**
 * The inbox at `--inbox` (or the default file). A SQLite file that does not exist is an error
 * rather than a new empty inbox (a mistyped path would look like an empty one); the schema is
 * neither created nor upgraded (that is `inbox migrate`), so reading needs no DDL rights.
 */
async function openInbox(target: string | undefined): Promise<Inbox> {
  const location = target ?? DEFAULT_INBOX_FILE;
  const postgres = isPostgresUrl(location);
  if (!postgres && !existsSync(resolve(location))) {
    throw new CliError(
      `no inbox at ${resolve(location)}: run \`${BIN} listen\` first, or pass --inbox FILE|URL.`,
      exitCodes.environment,
    );
  }
  const { createInbox, postgresInbox, sqliteInbox } = await import("../../inbox/index.js");
  const store = postgres ? postgresInbox({ connectionString: location }) : sqliteInbox({ file: resolve(location) });
  const inbox = await createInbox(store, { migrate: false });
  try {
    // The first query opens the database: a failure here is the environment's, said once.
    await inbox.counts();
  } catch (error) {
    await inbox.close().catch(() => undefined);
    const reason = (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "";
    if (/impact_inbox/.test(reason) && /no such table|does not exist/i.test(reason)) {
      throw new CliError(
        `${store.location} holds no inbox yet: run \`${BIN} inbox migrate --inbox ${postgres ? "URL" : location}\` (or \`listen\`) first.`,
        exitCodes.environment,
      );
    }
    const fix = postgres
      ? "Check the URL and that the server runs (npm install pg, if it is missing)."
      : "Check that it is an inbox file and readable.";
    throw new CliError(`Cannot open the inbox ${store.location}: ${reason}. ${fix}`, exitCodes.environment);
  }
  return inbox;
}

async function withInbox<T>(target: string | undefined, work: (inbox: Inbox) => Promise<T>): Promise<T> {
  const inbox = await openInbox(target);
  try {
    return await work(inbox);
  } finally {
    await inbox.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Options

function statusOption(value: string | undefined): InboxStatus | undefined {
  if (value === undefined) return undefined;
  if (!(INBOX_STATUSES as readonly string[]).includes(value)) {
    throw new CliError(`--status must be one of ${INBOX_STATUSES.join(", ")}, got "${value}".`);
  }
  return value as InboxStatus;
}

function rowId(text: string): number {
  const id = /^#?(\d{1,15})$/.exec(text)?.[1];
  if (id === undefined || Number(id) < 1) {
    throw new CliError(`"${text}" is not a row id: ids are whole numbers from 1 (\`inbox list\` shows them).`);
  }
  return Number(id);
}

const rowIds = (texts: readonly string[]) => [...new Set(texts.map(rowId))];

function timeRange(values: { since?: string | undefined; until?: string | undefined }, now: number) {
  const since = values.since === undefined ? undefined : parseTime("since", values.since, now);
  const until = values.until === undefined ? undefined : parseTime("until", values.until, now);
  if (since !== undefined && until !== undefined && since >= until) {
    throw new CliError(`--since (${isoTime(since)}) must be before --until (${isoTime(until)}).`);
  }
  return { since, until };
}

/** Rows of `filter` in id order, `limit` at most, read a page at a time. */
async function* rowsOf(inbox: Inbox, filter: ListFilter, limit: number): AsyncGenerator<InboxRow> {
  let afterId = filter.afterId;
  let left = limit;
  while (left > 0) {
    const page = await inbox.list({ ...filter, afterId, limit: Math.min(PAGE, left) });
    for (const row of page) yield row;
    if (page.length < Math.min(PAGE, left)) return;
    left -= page.length;
    afterId = page.at(-1)?.id;
  }
}

// ---------------------------------------------------------------------------------------------
// What is printed about a row

const receivedText = (ms: number) => isoTime(ms).replace(/\.\d{3}Z$/, "Z");
const requestText = (row: InboxRow) =>
  `${escapeLogText(row.request.method)} ${escapeLogText(pathOf(row.request.target))}`;
const lastErrorText = (row: InboxRow, max: number) =>
  row.lastError === undefined ? "" : cut(escapeLogText(row.lastError), max);

function detailsText(row: InboxRow): string {
  if (row.status === "rejected") {
    return row.verdict === undefined ? "" : `${row.verdict.status} ${escapeLogText(row.verdict.code)}`;
  }
  const fields = keyFields(row.notification);
  if (row.status === "dead" && row.lastError !== undefined) {
    return `last error: ${lastErrorText(row, 80)}${fields === "" ? "" : ` · ${fields}`}`;
  }
  return fields;
}

/** A row for `list --json`: everything but the target's query, the headers and the body. */
function rowSummary(row: InboxRow) {
  return {
    id: row.id,
    receivedAt: isoTime(row.request.receivedAt),
    status: row.status,
    attempts: row.attempts,
    duplicates: row.duplicates,
    contract: row.contract ?? null,
    delivery: row.delivery ?? null,
    method: row.request.method,
    path: pathOf(row.request.target),
    bodyBytes: row.request.body.byteLength,
    notification: row.notification ?? null,
    notificationKey: row.notificationKey ?? null,
    orderKey: row.orderKey ?? null,
    verdict: row.verdict ?? null,
    availableAt: isoTime(row.availableAt),
    leaseUntil: row.leaseUntil === undefined ? null : isoTime(row.leaseUntil),
    lastError: row.lastError ?? null,
    updatedAt: isoTime(row.updatedAt),
  };
}

function utf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** A row for `show --json`: the whole stored request too, body as base64 (and as text when it is UTF-8). */
function rowDetail(row: InboxRow) {
  const { request } = row;
  const text = utf8(request.body);
  return {
    ...rowSummary(row),
    key: row.key,
    request: {
      method: request.method,
      target: request.target,
      headers: request.headers,
      body: Buffer.from(request.body).toString("base64"),
      ...(text === undefined ? {} : { bodyText: text }),
      bodyTruncated: request.bodyTruncated,
      peer: request.peer ?? null,
      receivedAt: isoTime(request.receivedAt),
    },
  };
}

const countsText = (counts: Readonly<Record<InboxStatus, number>>) =>
  INBOX_STATUSES.map((s) => `${counts[s]} ${s}`).join(", ");
const totalOf = (counts: Readonly<Record<InboxStatus, number>>) => INBOX_STATUSES.reduce((n, s) => n + counts[s], 0);

// ---------------------------------------------------------------------------------------------
// The subcommands

async function list(args: readonly string[]): Promise<ExitCode> {
  const { values } = parseOptions(
    "inbox list",
    args,
    {
      ...common,
      status: { type: "string" },
      since: { type: "string" },
      until: { type: "string" },
      limit: { type: "string" },
      after: { type: "string" },
    },
    0,
  );
  const status = statusOption(values.status);
  const { since, until } = timeRange(values, Date.now());
  const limit = integerOption("limit", values.limit, 50, 1, MAX_LIST);
  const afterId = values.after === undefined ? undefined : rowId(values.after);
  const filter: ListFilter = { status, since, until, afterId };
  return withInbox(values.inbox, async (inbox) => {
    if (values.json === true) {
      for await (const row of rowsOf(inbox, filter, limit)) json(rowSummary(row));
      return exitCodes.ok;
    }
    const rows: string[][] = [["ID", "RECEIVED", "STATUS", "TRIES", "DUPS", "CONTRACT", "REQUEST", "DETAILS"]];
    let last: number | undefined;
    for await (const row of rowsOf(inbox, filter, limit)) {
      last = row.id;
      rows.push([
        String(row.id),
        receivedText(row.request.receivedAt),
        row.status,
        String(row.attempts),
        String(row.duplicates),
        escapeLogText(row.contract ?? "-"),
        requestText(row),
        detailsText(row),
      ]);
    }
    if (rows.length === 1) write("No rows match.");
    else for (const line of table(rows)) write(line);
    if (rows.length - 1 === limit && last !== undefined) {
      const more = await inbox.list({ ...filter, afterId: last, limit: 1 });
      if (more.length > 0) write(`First ${limit} shown; the next ones with --after ${last} (or raise --limit).`);
    }
    const counts = await inbox.counts();
    write(`${inbox.store.location}: ${totalOf(counts)} rows: ${countsText(counts)}.`);
    return exitCodes.ok;
  });
}

async function show(args: readonly string[]): Promise<ExitCode> {
  const { values, positionals } = parseOptions("inbox show", args, common, 1);
  if (positionals[0] === undefined) throw new CliError("inbox show needs a row id, e.g. `inbox show 12`.");
  const id = rowId(positionals[0]);
  return withInbox(values.inbox, async (inbox) => {
    const row = await inbox.get(id);
    if (row === undefined) {
      throw new CliError(
        `No row #${id} in ${inbox.store.location} (\`inbox list\` shows the ids).`,
        exitCodes.rejected,
      );
    }
    if (values.json === true) {
      json(rowDetail(row));
      return exitCodes.ok;
    }
    const { request } = row;
    const none = "-";
    const time = (ms: number | undefined) => (ms === undefined ? none : isoTime(ms));
    const lines: [string, string][] = [
      ["status", row.status],
      ["received", isoTime(request.receivedAt)],
      ["request", `${controlSafe(request.method)} ${maskTarget(request.target, notificationFields(row))}`],
      ["peer", controlSafe(request.peer ?? none)],
      ["body", `${request.body.byteLength} bytes${request.bodyTruncated ? " (truncated: the first bytes only)" : ""}`],
      ["contract", controlSafe(row.contract ?? none)],
      ["delivery", row.delivery ?? none],
      ["key", controlSafe(row.notificationKey ?? none)],
      ["order key", controlSafe(row.orderKey ?? none)],
      [
        "verdict",
        row.verdict === undefined
          ? row.status === "rejected"
            ? none
            : "accepted"
          : `${row.verdict.status} ${controlSafe(row.verdict.code)}: ${controlSafe(row.verdict.detail)}`,
      ],
      ["attempts", String(row.attempts)],
      ["duplicates", String(row.duplicates)],
      ["available at", time(row.availableAt)],
      ["lease until", time(row.leaseUntil)],
      ["last error", row.lastError === undefined ? none : controlSafe(row.lastError)],
      ["updated", time(row.updatedAt)],
    ];
    write(`#${row.id}`);
    for (const [label, value] of lines) write(`  ${label.padEnd(13)} ${value}`);
    write("  headers");
    for (const header of maskHeaders(request.headers)) write(`    ${header}`);
    if (row.notification !== undefined) {
      write("  notification");
      for (const line of prettyJson(row.notification).split("\n")) write(`    ${line}`);
    }
    if (request.body.byteLength > 0) write(`  (the body: \`${BIN} inbox show ${row.id} --json\`)`);
    return exitCodes.ok;
  });
}

async function retry(args: readonly string[]): Promise<ExitCode> {
  const { values, positionals } = parseOptions(
    "inbox retry",
    args,
    { ...common, dead: { type: "boolean" } },
    Number.MAX_SAFE_INTEGER,
  );
  if (values.dead === true && positionals.length > 0) {
    throw new CliError("Pass row ids or --dead, not both.");
  }
  if (values.dead !== true && positionals.length === 0) {
    throw new CliError("inbox retry needs row ids (`inbox retry 12 13`) or --dead (every dead row).");
  }
  const ids = rowIds(positionals);
  return withInbox(values.inbox, async (inbox) => {
    if (values.dead === true) {
      const retried = await inbox.retry("dead");
      if (values.json === true) json({ retried, skipped: [] });
      else write(`Made ${retried} dead row(s) pending again.`);
      return exitCodes.ok;
    }
    const skipped: { id: number; status: InboxStatus | "missing" }[] = [];
    const eligible: number[] = [];
    for (const id of ids) {
      const row = await inbox.get(id);
      if (row !== undefined && (row.status === "dead" || row.status === "done")) eligible.push(id);
      else skipped.push({ id, status: row?.status ?? "missing" });
    }
    const retried = eligible.length === 0 ? 0 : await inbox.retry(eligible);
    if (values.json === true) json({ retried, ids: eligible, skipped });
    else {
      write(`Made ${retried} row(s) pending again${eligible.length > 0 ? `: #${eligible.join(", #")}` : ""}.`);
      for (const { id, status } of skipped) {
        write(
          status === "missing"
            ? `#${id}: no such row.`
            : `#${id} is ${status}: not retried (only dead or done rows are).`,
        );
      }
    }
    return skipped.length === 0 && retried === eligible.length ? exitCodes.ok : exitCodes.rejected;
  });
}

function destination(to: string | undefined): URL {
  if (to === undefined) {
    throw new CliError("inbox replay needs --to URL, the receiver to send to, e.g. --to http://127.0.0.1:3000.");
  }
  let url: URL;
  try {
    url = new URL(to);
  } catch {
    throw new CliError(`--to "${to}" is not a URL. Give the receiver's origin, e.g. http://127.0.0.1:3000.`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new CliError(`--to must be an http:// or https:// URL, got "${url.protocol}".`);
  }
  if (url.search !== "" || url.hash !== "" || url.username !== "" || url.password !== "") {
    throw new CliError(
      "--to takes an origin and optionally a path prefix (http://host:port/prefix), no query or credentials: each stored request brings its own query and headers.",
    );
  }
  return url;
}

function replayProgress(total: number) {
  const tty = process.stderr.isTTY === true && total > EACH_ANSWER_UP_TO;
  const every = tty ? 1_000 : 5_000;
  let last = performance.now();
  let shown = false;
  return {
    update(done: number) {
      const now = performance.now();
      if (now - last < every || done === total) return;
      last = now;
      shown = true;
      const line = `replayed ${done}/${total}…`;
      process.stderr.write(tty ? `\r${line}` : `${line}\n`);
    },
    end() {
      if (shown && tty) process.stderr.write("\r\x1b[K");
    },
  };
}

interface Replayed {
  readonly id: number;
  readonly method: string;
  readonly path: string;
  readonly result: SendResult;
}

async function replay(args: readonly string[]): Promise<ExitCode> {
  const { values, positionals } = parseOptions(
    "inbox replay",
    args,
    {
      ...common,
      since: { type: "string" },
      until: { type: "string" },
      status: { type: "string" },
      to: { type: "string" },
      rate: { type: "string" },
      timeout: { type: "string" },
    },
    Number.MAX_SAFE_INTEGER,
  );
  const byTime = values.since !== undefined || values.until !== undefined || values.status !== undefined;
  if (positionals.length > 0 && byTime) {
    throw new CliError("Pass row ids or --since (with --until, --status), not both.");
  }
  if (positionals.length === 0 && values.since === undefined) {
    throw new CliError("inbox replay needs row ids (`inbox replay 12 13`) or --since T (e.g. --since 2h).");
  }
  const to = destination(values.to);
  const rate = numberOption("rate", values.rate, 20, 0.1, 10_000);
  const timeoutMs = integerOption("timeout", values.timeout, 10_000, 1, 600_000);
  const status = statusOption(values.status);
  const { since, until } = timeRange(values, Date.now());
  const given = rowIds(positionals);

  return withInbox(values.inbox, async (inbox) => {
    // The ids first (rows are read again one at a time as they are sent: memory stays flat).
    let ids: number[];
    if (given.length > 0) {
      const missing: number[] = [];
      for (const id of given) if ((await inbox.get(id)) === undefined) missing.push(id);
      if (missing.length > 0) {
        throw new CliError(
          `No row #${missing.join(", #")} in ${inbox.store.location}: nothing replayed (\`inbox list\` shows the ids).`,
          exitCodes.rejected,
        );
      }
      ids = given;
    } else {
      ids = [];
      for await (const row of rowsOf(inbox, { status, since, until }, Number.MAX_SAFE_INTEGER)) ids.push(row.id);
    }

    const replayer = createReplayer(to, timeoutMs, MAX_IN_FLIGHT);
    const results: Replayed[] = [];
    const skipped: { id: number; reason: string }[] = [];
    const progress = replayProgress(ids.length);
    const started = performance.now();
    const inFlight = new Set<Promise<void>>();
    const each = values.json !== true && ids.length <= EACH_ANSWER_UP_TO;
    let refusedLines = 0;
    const report = (r: Replayed) => {
      if (values.json === true) return;
      const { result } = r;
      if (result.ok && !each) return;
      if (!result.ok && !each && refusedLines++ >= MAX_REFUSED_LINES) return;
      const answer = result.delivered
        ? `${result.status}${result.ok ? "" : ` ${escapeLogText(describeResponse(result.body))}`}`
        : `no answer (${escapeLogText(result.error?.message ?? "failed")})`;
      write(
        `${result.ok ? "✔" : "✖"} #${r.id} ${escapeLogText(r.method)} ${escapeLogText(r.path)} → ${answer} in ${result.durationMs.toFixed(1)} ms`,
      );
    };
    try {
      let sent = 0;
      for (const id of ids) {
        const row = await inbox.get(id);
        if (row === undefined) {
          skipped.push({ id, reason: "gone (deleted since the replay started)" });
          continue;
        }
        if (row.request.bodyTruncated) {
          skipped.push({
            id,
            reason: "its body was not stored whole (a refused request keeps its first bytes, or none)",
          });
          continue;
        }
        const path = replayPath(to, row.request.target);
        if (path === undefined) {
          skipped.push({ id, reason: "its request target is not a path" });
          continue;
        }
        // Paced by the clock, as `send`: the receiver sees the rate asked for.
        const wait = started + (sent * 1000) / rate - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        if (inFlight.size >= MAX_IN_FLIGHT) await Promise.race(inFlight);
        sent++;
        const task = replayer.send(row.request, path).then((result) => {
          const done: Replayed = { id, method: row.request.method, path: pathOf(path), result };
          results.push(done);
          report(done);
          progress.update(results.length + skipped.length);
        });
        const tracked: Promise<void> = task.finally(() => inFlight.delete(tracked));
        inFlight.add(tracked);
      }
      await Promise.all(inFlight);
    } finally {
      progress.end();
      replayer.close();
    }
    const summary = summarize(
      results.map((r) => r.result),
      performance.now() - started,
    );
    const target = `${to.origin}${to.pathname === "/" ? "" : to.pathname.replace(/\/+$/, "")}`;
    if (values.json === true) {
      json({
        to: target,
        ...summary,
        results: results
          .sort((a, b) => a.id - b.id)
          .map(({ id, method, path, result }) => ({
            id,
            method,
            path,
            status: result.status,
            ok: result.ok,
            durationMs: result.durationMs,
            ...(result.delivered && !result.ok ? { answer: describeResponse(result.body) } : {}),
            ...(result.error === undefined ? {} : { error: result.error }),
          })),
        skipped,
      });
    } else {
      if (refusedLines > MAX_REFUSED_LINES) write(`… and ${refusedLines - MAX_REFUSED_LINES} more refused.`);
      for (const { id, reason } of skipped) write(`- #${id} not replayed: ${reason}.`);
      if (ids.length === 0) write("No rows match: nothing replayed.");
      else if (results.some((r) => r.result.delivered)) {
        write(formatSummary(summary).replace(/^Sent/, `Replayed to ${target}:`));
      }
    }
    if (results.length > 0 && results.every((r) => !r.result.delivered)) {
      const cause = results[0]?.result.error?.message ?? "no response";
      throw new CliError(`Cannot reach ${target} (${cause}). Is the receiver running?`, exitCodes.environment);
    }
    return skipped.length === 0 && results.every((r) => r.result.ok) ? exitCodes.ok : exitCodes.rejected;
  });
}

async function prune(args: readonly string[]): Promise<ExitCode> {
  const { values } = parseOptions("inbox prune", args, { ...common, "older-than": { type: "string" } }, 0);
  if (values["older-than"] === undefined) {
    throw new CliError("inbox prune needs --older-than AGE, e.g. --older-than 30d (done, dead and rejected rows go).");
  }
  const before = Date.now() - parseAge("older-than", values["older-than"]);
  return withInbox(values.inbox, async (inbox) => {
    const deleted = await inbox.prune(before);
    if (values.json === true) json({ deleted, before: isoTime(before) });
    else write(`Deleted ${deleted} done, dead or rejected row(s) received before ${isoTime(before)}.`);
    return exitCodes.ok;
  });
}

async function migrate(args: readonly string[]): Promise<ExitCode> {
  const { values } = parseOptions("inbox migrate", args, common, 0);
  const inbox = await openCliInbox(values.inbox ?? DEFAULT_INBOX_FILE, true);
  try {
    const { location, dialect } = inbox.store;
    if (values.json === true) json({ location, dialect, migrated: true });
    else write(`The inbox schema at ${location} is up to date.`);
  } finally {
    await inbox.close();
  }
  return exitCodes.ok;
}

async function stats(args: readonly string[]): Promise<ExitCode> {
  const { values } = parseOptions("inbox stats", args, common, 0);
  return withInbox(values.inbox, async (inbox) => {
    const counts = await inbox.counts();
    const [oldest] = await inbox.list({ status: "pending", limit: 1 });
    const now = Date.now();
    const pending =
      oldest === undefined
        ? null
        : { id: oldest.id, receivedAt: isoTime(oldest.request.receivedAt), ageMs: now - oldest.request.receivedAt };
    if (values.json === true) {
      json({ location: inbox.store.location, counts, total: totalOf(counts), oldestPending: pending });
      return exitCodes.ok;
    }
    write(`${inbox.store.location}`);
    for (const line of table([
      ...INBOX_STATUSES.map((s) => [
        `  ${s}`,
        String(counts[s]),
        s === "pending" && pending !== null ? `oldest #${pending.id}, received ${formatAge(pending.ageMs)} ago` : "",
      ]),
      ["  total", String(totalOf(counts)), ""],
    ])) {
      write(line);
    }
    return exitCodes.ok;
  });
}

const subcommands: Readonly<Record<string, (args: readonly string[]) => Promise<ExitCode>>> = {
  list,
  show,
  retry,
  replay,
  prune,
  migrate,
  stats,
};

export async function runInbox(args: readonly string[]): Promise<ExitCode> {
  const [name, ...rest] = args;
  const names = Object.keys(subcommands).join(", ");
  if (name === undefined || name.startsWith("-")) {
    throw new CliError(`inbox needs a subcommand: ${names}. Run \`${BIN} inbox --help\`.`);
  }
  const run = Object.hasOwn(subcommands, name) ? subcommands[name] : undefined;
  if (run === undefined) {
    throw new CliError(`Unknown inbox subcommand "${name}". Subcommands: ${names}. Run \`${BIN} inbox --help\`.`);
  }
  return run(rest);
}
