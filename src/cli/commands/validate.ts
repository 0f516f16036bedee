/**
 * `validate [FILE|-]`: checks captured requests, one per line (full URLs or paths from access
 * logs, access-log lines, or POST JSON bodies), against a contract, and reports each verdict.
 * An input that is one JSON document (a pretty-printed body, or an array of bodies) is read whole.
 */
import { createReadStream, existsSync } from "node:fs";
import { createInterface } from "node:readline";
import type { ContractRuntime } from "../../contract.js";
import { routeTable, trimSlash } from "../../contract-for-route.js";
import { validateEventNotification } from "../../validate-event-notification.js";
import { pathOf } from "../../verify/decode-parameters.js";
import { DEFAULT_MAX_DEPTH } from "../../verify/options.js";
import { isSyntaxError, parseJson } from "../../verify/parse-json.js";
import { type CapturedRequest, parseCapturedRequest } from "../captured-request.js";
import { CliError } from "../cli-error.js";
import { type ContractSource, loadContractSource } from "../contract-source.js";
import { type ExitCode, exitCodes } from "../exit-codes.js";
import { describeIssues } from "../format-verdict.js";
import { keyFields } from "../key-fields.js";
import { parseOptions } from "../parse-options.js";

const options = { json: { type: "boolean" }, contract: { type: "string" }, contracts: { type: "string" } } as const;
/** Lines longer than this are reported, not parsed: no notification is anywhere near it. */
const MAX_LINE = 256 * 1024;

interface Entry {
  readonly line: number;
  readonly text: string;
}

/** A line that holds no request: blank, or a `#` comment. */
const skipped = (text: string) => text.trim() === "" || text.trimStart().startsWith("#");

/**
 * True when the first line of the input opens a JSON document that continues on later lines
 * (`{` or `[`, and JSON that ends too soon), as a pretty-printed body or array does; a one-line
 * body, as in a file of one body per line, is whole, and a malformed one is that line's verdict.
 */
function opensDocument(text: string): boolean {
  const trimmed = text.trim();
  if (!trimmed.startsWith("{") && !trimmed.startsWith("[")) return false;
  const parsed = parseJson(trimmed, DEFAULT_MAX_DEPTH);
  return "error" in parsed && parsed.error === "truncated_json";
}

/**
 * The entries of a whole input held as one JSON document: its body, or each body of its array.
 * One the receiver would refuse (a repeated key, `__proto__`, too deep) is said once; text that
 * is no JSON document after all is taken line by line.
 */
function* documentEntries(held: readonly Entry[]): Generator<Entry> {
  const whole = held.map((e) => e.text).join("\n");
  const parsed = parseJson(whole, DEFAULT_MAX_DEPTH);
  if ("value" in parsed) {
    const list = Array.isArray(parsed.value) ? parsed.value : [parsed.value];
    for (let i = 0; i < list.length; i++) yield { line: i + 1, text: JSON.stringify(list[i]) };
  } else if (!isSyntaxError(parsed)) {
    yield { line: held[0]?.line ?? 1, text: whole };
  } else {
    for (const entry of held) if (!skipped(entry.text)) yield entry;
  }
}

/**
 * The requests of a file or stdin, read once and as they come: a pipe such as
 * `validate <(zcat access.log.gz)` cannot be read twice, and a log of any size is never held in
 * memory. Only an input that opens with a JSON document spread over lines is held whole.
 */
async function* entries(source: string): AsyncGenerator<Entry> {
  if (source !== "-" && !existsSync(source)) {
    throw new CliError(
      `Cannot read "${source}": no such file. Pass a file path, or - for stdin.`,
      exitCodes.environment,
    );
  }
  const input = source === "-" ? process.stdin : createReadStream(source, { encoding: "utf8" });
  let line = 0;
  /** Every line from the first, once the input opened with a multi-line JSON document. */
  let held: Entry[] | undefined;
  let first = true;
  for await (const text of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
    line++;
    if (held !== undefined) {
      held.push({ line, text });
      continue;
    }
    if (skipped(text)) continue;
    if (first && opensDocument(text)) {
      held = [{ line, text }];
      continue;
    }
    first = false;
    yield { line, text };
  }
  if (held !== undefined) yield* documentEntries(held);
}

/**
 * The contract of each captured request: --contract; else, for a GET whose path is a configured
 * route, that route's contract (as `listen` would choose); else, with a project's contracts, the
 * only one for that delivery; else "documented" for the built-in contracts. A string says why
 * none applies.
 */
function pickContract(
  source: ContractSource,
  chosen: ContractRuntime | undefined,
): (request: CapturedRequest) => ContractRuntime | string {
  if (chosen !== undefined) return () => chosen;
  const all = [...source.contracts.values()];
  const routes = routeTable(all);
  const own = source.registry !== undefined;
  return (request) => {
    if (request.delivery === "GET" && "query" in request) {
      const routed = routes.exact.get(`GET ${trimSlash(pathOf(request.query))}`);
      if (routed !== undefined) return routed;
    }
    if (!own) return source.get("documented");
    const candidates = all.filter((c) => c.operations[request.delivery] !== undefined);
    const only = candidates[0];
    if (candidates.length === 1 && only !== undefined) return only;
    return candidates.length === 0
      ? `has no contract: none of yours describes a ${request.delivery} notification`
      : `matches no configured route; pass --contract NAME (one of ${candidates.map((c) => c.name).join(", ")})`;
  };
}

export async function runValidate(args: readonly string[]): Promise<ExitCode> {
  const { values, positionals } = parseOptions("validate", args, options, 1);
  const source = positionals[0] ?? "-";
  if (source === "-" && process.stdin.isTTY === true) {
    throw new CliError("validate reads stdin, which is a terminal: pass a FILE, or pipe requests in (… | validate -).");
  }
  const contracts = await loadContractSource(values.contracts);
  // An unknown --contract is a usage error (exit 2), found before any input is read.
  const chosen = values.contract === undefined ? undefined : contracts.get(values.contract);
  const contractFor = pickContract(contracts, chosen);
  let checked = 0;
  let invalid = 0;
  for await (const { line, text } of entries(source)) {
    checked++;
    const request =
      text.length > MAX_LINE
        ? { delivery: "GET" as const, unreadable: "is too long to be a notification" }
        : parseCapturedRequest(text);
    const contract = contractFor(request);
    if (typeof contract === "string") {
      // No contract applies: that line's verdict, not a guess against another contract.
      (request as { unreadable?: string }).unreadable ??= contract;
    }
    const name = typeof contract === "string" ? "" : contract.name;
    // Named in the text output only when it is not the default.
    const against = name === "documented" || name === "" ? "" : ` [${name}]`;
    const result =
      "unreadable" in request || typeof contract === "string"
        ? undefined
        : validateEventNotification(request.delivery === "GET" ? request.query : request.body, {
            contract,
            delivery: request.delivery,
            allErrors: true,
          });
    const ok = result?.ok === true;
    if (!ok) invalid++;
    if (values.json === true) {
      const record =
        result === undefined
          ? {
              line,
              delivery: request.delivery,
              valid: false,
              code: "unreadable",
              message: `line ${line} ${(request as { unreadable: string }).unreadable}`,
            }
          : result.ok
            ? { line, contract: result.contract, delivery: result.delivery, valid: true, notices: result.notices }
            : {
                line,
                contract: name,
                delivery: request.delivery,
                valid: false,
                code: result.error.code,
                status: result.error.status,
                issues: result.error.issues,
              };
      process.stdout.write(`${JSON.stringify(record)}\n`);
    } else if (result === undefined) {
      process.stdout.write(`✖ line ${line}: ${(request as { unreadable: string }).unreadable}\n`);
    } else if (result.ok) {
      const notices = describeIssues(result.notices);
      process.stdout.write(
        `✔ line ${line}: valid ${result.delivery}${against} ${keyFields(result.notification)}${notices ? ` (notice: ${notices})` : ""}\n`,
      );
    } else {
      const issues = describeIssues(result.error.issues);
      process.stdout.write(
        `✖ line ${line}: invalid ${request.delivery}${against} ${result.error.code}: ${issues || result.error.detail}\n`,
      );
    }
  }
  if (values.json !== true) {
    process.stdout.write(`${checked} checked, ${checked - invalid} valid, ${invalid} invalid\n`);
  }
  if (checked === 0)
    throw new CliError(
      `No request found in ${source === "-" ? "stdin" : source}. Give one URL or JSON body per line.`,
      exitCodes.usage,
    );
  return invalid === 0 ? exitCodes.ok : exitCodes.rejected;
}
