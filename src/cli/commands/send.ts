/**
 * `send`: simulate impact.com against any receiver. Builds each notification from a fixture or a
 * seeded sample of the contract, applies --set, sends it with the typed sender, then prints one
 * line per response (single sends) or a summary of statuses and latencies (--count).
 */
import type { ContractRuntime, Delivery } from "../../contract.js";
import { sentSecret } from "../../sender/sent-secret.js";
import { toQueryString } from "../../sender/to-query-string.js";
import {
  type ContractDocument,
  createNotificationSender,
  type SendResult,
  sampleNotification,
} from "../../testing/index.js";
import type { SecretOptions } from "../../verify/options.js";
import { CliError } from "../cli-error.js";
import { loadContractSource } from "../contract-source.js";
import { describeResponse } from "../describe-response.js";
import { type ExitCode, exitCodes } from "../exit-codes.js";
import { formatSummary, summarize } from "../latency-summary.js";
import { type Fixture, loadFixture } from "../load-fixture.js";
import { integerOption, numberOption, parseOptions } from "../parse-options.js";
import { parseSet, setPath, setQueryValue } from "../set-value.js";

const MAX_COUNT = 100_000;
const MAX_IN_FLIGHT = 64;
const PROGRESS_EVERY_MS = 1_000;

const options = {
  to: { type: "string" },
  method: { type: "string" },
  fixture: { type: "string" },
  set: { type: "string", multiple: true },
  count: { type: "string" },
  rate: { type: "string" },
  seed: { type: "string" },
  secret: { type: "string" },
  "secret-param": { type: "string" },
  "secret-header": { type: "string" },
  contract: { type: "string" },
  contracts: { type: "string" },
  timeout: { type: "string" },
  json: { type: "boolean" },
  each: { type: "boolean" },
} as const;

function targetUrl(to: string | undefined): URL {
  if (to === undefined) {
    throw new CliError(
      "send needs --to URL, e.g. --to http://127.0.0.1:3000/notifications (start one with `npm start`).",
    );
  }
  let url: URL;
  try {
    url = new URL(to);
  } catch {
    throw new CliError(`--to "${to}" is not a URL. Give the full URL, e.g. http://127.0.0.1:3000/notifications.`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new CliError(`--to must be an http:// or https:// URL, got "${url.protocol}".`);
  }
  return url;
}

function deliveryOf(method: string | undefined, fixture: Fixture | undefined, contract: ContractRuntime): Delivery {
  const wanted = method?.toUpperCase();
  if (wanted !== undefined && wanted !== "GET" && wanted !== "POST") {
    throw new CliError(`--method must be GET or POST (impact.com sends nothing else), got "${method}".`);
  }
  if (fixture !== undefined && wanted !== undefined && wanted !== fixture.delivery) {
    throw new CliError(
      `The fixture is a ${fixture.delivery} notification; drop --method or pass --method ${fixture.delivery}.`,
    );
  }
  const described = Object.keys(contract.operations) as Delivery[];
  const delivery =
    fixture?.delivery ?? (wanted as Delivery | undefined) ?? (described.length === 1 ? described[0] : "GET");
  if (contract.operations[delivery as Delivery] === undefined) {
    throw new CliError(
      `Contract "${contract.name}" describes ${described.join(" and ")} notifications only; pass --method ${described[0]}.`,
    );
  }
  return delivery as Delivery;
}

/** `--to http://host:port` (no path) goes to the contract's configured route, as impact.com would call it. */
function routedUrl(url: URL, contract: ContractRuntime): URL {
  if (url.pathname !== "/" || contract.template === undefined) return url;
  const routed = new URL(url);
  routed.pathname = contract.template.path;
  return routed;
}

function secretOf(values: {
  secret?: string;
  "secret-param"?: string;
  "secret-header"?: string;
}): SecretOptions | undefined {
  if (values.secret === undefined) {
    if (values["secret-param"] !== undefined || values["secret-header"] !== undefined) {
      throw new CliError("--secret-param and --secret-header name where the secret goes; also pass --secret VALUE.");
    }
    return undefined;
  }
  if (values["secret-header"] !== undefined) {
    if (values["secret-param"] !== undefined) {
      throw new CliError(
        "Pass --secret-param or --secret-header, not both: a notification carries its secret in one place.",
      );
    }
    return checkedSecret({ values: values.secret, header: values["secret-header"] });
  }
  return checkedSecret({ values: values.secret, queryParameter: values["secret-param"] ?? "secret" });
}

/** The sender's own check, as a usage error instead of a TypeError out of createNotificationSender. */
function checkedSecret(secret: SecretOptions): SecretOptions {
  try {
    sentSecret(secret);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    throw new CliError(`--secret, --secret-param, --secret-header: ${error.message}`);
  }
  return secret;
}

/** The i-th payload: a raw query string (GET) or a JSON text (POST). */
function payloadBuilder(
  delivery: Delivery,
  fixture: Fixture | undefined,
  document: ContractDocument | undefined,
  seed: string,
  sets: readonly { key: string; value: string }[],
): (i: number) => string {
  const numericSeed = /^\d+$/.test(seed) ? Number(seed) : undefined;
  return (i) => {
    if (delivery === "GET") {
      let query: string;
      if (fixture !== undefined) query = fixture.query ?? "";
      else {
        const seedI = numericSeed === undefined ? `${seed}-${i}` : numericSeed + i;
        query = toQueryString(sampleNotification(document as object, "GET", { seed: seedI }));
      }
      for (const { key, value } of sets) query = setQueryValue(query, key, value);
      return query;
    }
    let body: unknown;
    if (fixture !== undefined) body = structuredClone(fixture.body);
    else
      body = sampleNotification(document as object, "POST", {
        seed: numericSeed === undefined ? `${seed}-${i}` : numericSeed + i,
      });
    if (sets.length > 0) {
      if (typeof body !== "object" || body === null || Array.isArray(body)) {
        throw new CliError("--set needs a JSON object body; this fixture's body is not an object.");
      }
      for (const { key, value } of sets) setPath(body as Record<string, unknown>, key, value);
    }
    return JSON.stringify(body);
  };
}

function progressReporter(count: number) {
  const tty = process.stderr.isTTY === true;
  let last = performance.now();
  let shown = false;
  return {
    update(done: number, accepted: number) {
      const now = performance.now();
      if (count < 2 || now - last < PROGRESS_EVERY_MS) return;
      last = now;
      shown = true;
      const line = `… ${done}/${count} answered, ${accepted} with 2xx`;
      process.stderr.write(tty ? `\r${line}` : `${line}\n`);
    },
    end() {
      if (shown && tty) process.stderr.write("\r\x1b[K");
    },
  };
}

/**
 * `--each`: one line per answer as it arrives, so a script can tell which notifications were
 * acknowledged (the crash test checks each 2xx against the receiver's inbox). With --json the
 * line carries the notification sent (as sent, and decoded); the text line only its index, status and latency.
 */
function printEach(index: number, result: SendResult, sent: string, json: boolean): void {
  // As sent (a query string or a JSON body), and decoded for a script to compare.
  const notification = result.method === "GET" ? Object.fromEntries(new URLSearchParams(sent)) : JSON.parse(sent);
  const line = json
    ? JSON.stringify({
        event: "answer",
        index,
        status: result.status,
        ok: result.ok,
        ms: result.durationMs,
        sent,
        notification,
      })
    : `#${index} ${result.delivered ? result.status : (result.error?.code ?? "no answer")} in ${result.durationMs.toFixed(1)} ms`;
  process.stdout.write(`${line}\n`);
}

export async function runSend(args: readonly string[]): Promise<ExitCode> {
  const { values } = parseOptions("send", args, options);
  const given = targetUrl(values.to);
  if (values.fixture !== undefined && values.seed !== undefined) {
    throw new CliError("--seed picks a generated sample; a --fixture is sent as written. Pass one of them.");
  }
  const source = await loadContractSource(values.contracts);
  const names = [...source.contracts.keys()];
  const name =
    values.contract ??
    (source.registry === undefined ? "documented" : names.length === 1 ? (names[0] as string) : undefined);
  if (name === undefined) {
    throw new CliError(`Which contract? Pass --contract NAME, one of ${names.join(", ")}.`);
  }
  const contract = source.get(name);
  const url = routedUrl(given, contract);
  const fixture = values.fixture === undefined ? undefined : loadFixture(values.fixture, name);
  const delivery = deliveryOf(values.method, fixture, contract);
  const count = integerOption("count", values.count, 1, 1, MAX_COUNT);
  const rate = numberOption("rate", values.rate, 20, 0.1, 10_000);
  const timeoutMs = integerOption("timeout", values.timeout, 10_000, 1, 600_000);
  const sets = (values.set ?? []).map(parseSet);
  const document = fixture === undefined ? source.document(name) : undefined;
  const payload = payloadBuilder(delivery, fixture, document, values.seed ?? "1", sets);
  const secret = secretOf(values);
  const sender = createNotificationSender({
    baseUrl: url,
    timeoutMs,
    ...(secret === undefined ? {} : { secret }),
  });

  const results: SendResult[] = [];
  // Running count of 2xx answers: recounting `results` on every completion is quadratic in --count.
  let accepted = 0;
  const progress = progressReporter(count);
  const started = performance.now();
  const inFlight = new Set<Promise<void>>();
  for (let i = 0; i < count; i++) {
    // Pace by the clock, not by responses: a slow receiver sees the rate impact.com would use.
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    if (inFlight.size >= MAX_IN_FLIGHT) await Promise.race(inFlight);
    const body = payload(i);
    const index = i;
    const task = sender.send(delivery, body).then((result) => {
      results.push(result);
      if (result.ok) accepted++;
      if (values.each === true) printEach(index, result, body, values.json === true);
      progress.update(results.length, accepted);
    });
    const tracked: Promise<void> = task.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
  }
  await Promise.all(inFlight);
  progress.end();
  const summary = summarize(results, performance.now() - started);
  const target = `${url.origin}${url.pathname}`;

  if (values.json === true) {
    process.stdout.write(`${JSON.stringify({ method: delivery, url: target, ...summary })}\n`);
  } else if (count === 1 && results[0]?.delivered === true) {
    const r = results[0];
    const status = `${r.status}${r.ok ? "" : ` ${describeResponse(r.body)}`}`;
    process.stdout.write(`${r.ok ? "✔" : "✖"} ${delivery} ${target} → ${status} in ${r.durationMs.toFixed(1)} ms\n`);
  } else if (results.some((r) => r.delivered)) {
    process.stdout.write(`${formatSummary(summary)}\n`);
  }

  if (results.every((r) => !r.delivered)) {
    const cause = results[0]?.error?.message ?? "no response";
    throw new CliError(
      `Cannot reach ${target} (${cause}). Is the receiver running? Start one with \`npm start\`.`,
      exitCodes.environment,
    );
  }
  return summary.accepted === summary.sent ? exitCodes.ok : exitCodes.rejected;
}
