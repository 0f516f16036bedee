/** The CLI's help texts. The README's CLI reference says the same; test/cli/help.test.ts keeps them aligned. */
export const BIN = "impact-event-notifications";

const EXIT_CODES = `Exit codes:
  0   success: every notification sent was answered 2xx / every request checked is valid
  1   rejected: a notification got a non-2xx answer (send, inbox replay) or is invalid (validate),
      a template has lint errors or the generated folder is stale (generate, generate --check),
      an inbox row is not there or not in a state to retry (inbox show, retry)
  2   usage: unknown command or option, or a malformed value
  3   environment: file not found, port in use, receiver unreachable, Prism not installed
  70  internal error in this CLI (please report it)`;

export const commandHelp: Readonly<Record<string, string>> = {
  listen: `${BIN} listen [--contracts DIR] [--port 3000] [--host 127.0.0.1] [--path /notifications] [--secret S ...] [--json]

Receive notifications locally, verified exactly as in production, one line per request
(accepted with key fields, or rejected with the reason). This is \`npm start\`.
With your generated contracts, each is served on the route of its configured URL.

  --port N             port to listen on; 0 picks a free one (the URL is printed)   [3000]
  --host H             interface to bind                                          [127.0.0.1]
  --path P             the path impact.com posts to                               [/notifications]
  --secret S           require this shared secret; repeat for rotation
  --secret-param NAME  only accept the secret in this query parameter  [default: secret or header]
  --secret-header NAME only accept the secret in this header        [default: x-impact-secret]
  --contracts DIR      your generated contracts (\`generate\`)  [config "out", else ./impact-contracts
                       if it exists, else the built-in contracts]
  --contract NAME      the contract of --path                                     [documented]
                       without it, each template contract is also served on the
                       route of its configured URL
  --json               one JSON object per line instead of text
  --inbox FILE|URL     record every request in this SQLite file or postgres:// URL,
                       for \`inbox list\`, \`inbox replay\`…                   [./.impact-inbox.sqlite]
  --no-inbox           record nothing

Ctrl-C (SIGINT) or SIGTERM stops it: new requests are refused, in-flight ones finish (10 s at most).

Examples:
  ${BIN} listen
  ${BIN} listen --contracts ./impact-contracts
  ${BIN} listen --port 0 --json
  ${BIN} listen --secret s3cret --secret-param token`,

  send: `${BIN} send --to URL [--method GET|POST] [--fixture NAME] [--set key=value ...] [--count N --rate R] [--seed S]

Send notifications to any receiver exactly as impact.com does (GET query or POST JSON,
User-Agent Impact-Postback-Client/1.0) and print the answer, or a summary for --count.
Without --fixture, each notification is a realistic sample of the contract, reproducible with --seed.

  --to URL             the receiver's URL (may carry its own query parameters);   required
                       a URL without a path goes to the contract's configured route
  --method M           GET or POST                                                [GET]
  --fixture NAME       a case of test/fixtures/<contract>/ or a path to a fixture .json
  --set key=value      set a field (string), also a fixture's; POST takes dotted paths:
                       items.0.qty=2; GET changes only that parameter. Repeatable
  --count N            how many to send (at most ${100_000})                              [1]
  --rate R             notifications per second                                  [20]
  --seed S             sample seed; notification i uses S+i (text: "S-i")        [1]
  --secret S           add a shared secret, in the query parameter "secret" unless:
  --secret-param NAME  put it in this query parameter
  --secret-header NAME put it in this header instead (not with --secret-param)
  --timeout MS         per request                                               [10000]
  --contract NAME      contract the samples follow       [documented, or your only contract]
  --contracts DIR      your generated contracts (\`generate\`)  [config "out", else ./impact-contracts
                       if it exists, else the built-in contracts]
  --json               print the result/summary as JSON
  --each               also one line per answer (index, status, latency; with --json the
                       notification sent too), as each arrives

Examples:
  ${BIN} send --to http://127.0.0.1:3000/notifications
  ${BIN} send --to http://127.0.0.1:3000/notifications --set payout=5.
  ${BIN} send --to http://127.0.0.1:3000/notifications --method POST --set items.0.qty=1e3
  ${BIN} send --to http://127.0.0.1:3000/notifications --fixture get-documented-example
  ${BIN} send --to http://127.0.0.1:3000/notifications --count 500 --rate 50 --seed 7
  ${BIN} send --to http://127.0.0.1:3000 --contract me --set payout=5,00`,

  validate: `${BIN} validate [FILE|-] [--json] [--contract NAME] [--contracts DIR]

Check captured requests against the contract, one per line: full URLs or paths with a query
(from an access log), whole access-log lines ("GET /path?… HTTP/1.1"), or POST JSON bodies.
Input holding one pretty-printed JSON body (or an array of bodies) is read whole; anything
else is read as it comes, so a log of any size or a pipe (<(zcat access.log.gz)) works.
'-' or no FILE reads stdin. Blank lines and lines starting with # are skipped.

  --json               one JSON verdict per line
  --contract NAME      contract to validate against   [a GET's route, else documented, or your
                                                       only contract of that delivery]
  --contracts DIR      your generated contracts (\`generate\`)  [config "out", else ./impact-contracts
                       if it exists, else the built-in contracts]

Examples:
  ${BIN} validate captured.txt
  grep postback access.log | ${BIN} validate -
  echo '{"payout":"5."}' | ${BIN} validate --json`,

  generate: `${BIN} generate [--templates DIR] [--openapi DIR] [--out DIR] [--check] [--config FILE]

Generate typed contracts for your own templates, in your project: every <name>.template.json
or .yaml in the templates folder (and every contract folder <name>/ of --openapi) becomes
OUT/<name>/ (bundled OpenAPI, types, self-contained validators) and one registry:
  import { contracts } from "./impact-contracts/index.js";     ES modules
  const { contracts } = require("./impact-contracts");         CommonJS (also writes .cjs)
Pass contracts.<name> as the \`contract\` option, or contracts as \`contracts\`. The template
lint runs first: any error stops with every finding and its fix. OUT is rewritten from a clean
slate; a non-empty folder this command did not write is never deleted.

  --templates DIR      folder of <name>.template.json|yaml files                  [./impact]
  --openapi DIR        folder of contract folders <name>/ (*.openapi.json|yaml, overlays)
  --out DIR            where the contracts go                                     [./impact-contracts]
  --check              write nothing; exit 1 naming every file OUT lacks or differs in
  --config FILE        defaults for these options   [impact-notifications.config.json|yaml]
                       keys: templates, openapi, out, commonjs (true/false: also write
                       CommonJS; default: unless package.json says "type": "module"), $schema;
                       paths relative to the file; flags win over it

Examples:
  ${BIN} generate
  ${BIN} generate --templates config/impact --out src/impact-contracts
  ${BIN} generate --check`,

  mock: `${BIN} mock [--contracts DIR] [--contract NAME] [--port 4010] [--quiet]

Run the real Prism mock (@stoplight/prism-cli) on the bundled contract(s) with request validation:
a valid notification gets 200, an invalid one 422 problem+json. One Prism per contract, on
PORT, PORT+1, …  Offline. Stop with Ctrl-C. Needs @stoplight/prism-cli 5.14.2 installed
(npm install -D @stoplight/prism-cli@5.14.2).

  --contract NAME      only this contract                                        [all]
  --contracts DIR      your generated contracts (\`generate\`)  [config "out", else ./impact-contracts
                       if it exists, else the built-in contracts]
  --port N             first port                                                [4010]
  --quiet              do not pass Prism's request log through

Examples:
  ${BIN} mock
  ${BIN} mock --contract documented --port 4010`,

  inbox: `${BIN} inbox <list|show|retry|replay|prune|migrate|stats> [--inbox FILE|URL] [--json]

Look at and act on what \`listen\` recorded: every request, accepted (pending, then done, or dead
after its last failed attempt) or refused (rejected). Text output never shows a body, and masks
the values of secret-looking query parameters and headers (secret, token, key, sig, pass, auth)
as ***, and on accepted rows any parameter that is not a field of the notification.

  list                 the rows in id order (oldest first), counts per status below
    --status S         only rows in state S: pending, leased, done, dead or rejected
    --since T          received at or after T; T is an ISO 8601 date or time
                       (2026-12-01, 2026-12-01T09:30:00Z) or an age (30m, 2h, 7d: that long ago)
    --until T          received before T
    --limit N          at most N rows                                             [50]
    --after ID         only ids above ID (the next page)
  show ID              everything about one row (--json: the stored request too, body in base64)
  retry ID... | --dead make dead or done rows pending again, attempts reset (--dead: every dead one)
  replay ID... | --since T [--until T] [--status S]  --to URL
                       send stored requests again, byte for byte: the same method, headers
                       (hop-by-hop ones aside), body, and path and query, to URL's origin; a
                       URL with a path puts it before the stored one (--to http://h/p: /p/notifications);
                       a row whose body was not kept whole (a refusal) is skipped, and exits 1
    --rate R           requests per second                                        [20]
    --timeout MS       per request                                                [10000]
  prune --older-than AGE
                       delete the done, dead and rejected rows received over AGE ago (30d, 12h)
  migrate              create or upgrade the schema (for PostgreSQL, run it in your deploys)
  stats                rows per status, and how old the oldest pending row is

  --inbox FILE|URL     a SQLite file or a postgres:// URL                   [./.impact-inbox.sqlite]
                       a file that does not exist is an error, except for migrate
  --json               one JSON object per line (list), one object otherwise

Examples:
  ${BIN} inbox list --status dead --since 1d
  ${BIN} inbox show 42
  ${BIN} inbox retry --dead
  ${BIN} inbox replay --since 2h --status pending --to http://127.0.0.1:3000
  ${BIN} inbox prune --older-than 30d
  ${BIN} inbox migrate --inbox postgres://app@db/app`,
};

export const generalHelp = `${BIN}: receive, simulate and check impact.com Event Notifications.

Usage: ${BIN} <command> [options]      (${BIN} <command> --help for details)

Commands:
  listen     receive notifications locally and print each verdict (npm start)
  send       send notifications to a receiver the way impact.com does
  validate   check captured requests (URLs, access-log lines, JSON bodies)
  generate   generate typed contracts from your templates (impact/*.template.json)
  mock       run the Prism mock server on the contract(s)
  inbox      list, show, retry, replay and prune the requests \`listen\` recorded

Examples:
  ${BIN} listen --port 3000
  ${BIN} send --to http://127.0.0.1:3000/notifications --set payout=5.00
  ${BIN} send --to http://127.0.0.1:3000/notifications --set payout=5.
  ${BIN} validate access-log-urls.txt --json
  ${BIN} generate --check
  ${BIN} mock --port 4010
  ${BIN} inbox list --status dead

${EXIT_CODES}`;

export function helpFor(command: string): string {
  // Own keys only: `help toString` is the general help, not Object.prototype.toString's source.
  const help = Object.hasOwn(commandHelp, command) ? commandHelp[command] : undefined;
  return `${help ?? generalHelp}\n\n${help === undefined ? "" : `${EXIT_CODES}\n`}`;
}
