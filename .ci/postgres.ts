/**
 * One PostgreSQL server for a whole CI run (.ci/postgres.sh runs this), shared by every test file
 * and both Node versions through IMPACT_TEST_POSTGRES_URL, with the same code the tests use on
 * their own (test/helpers/postgres.ts).
 *
 *   node --import tsx .ci/postgres.ts find            exit 0 when initdb and pg_ctl are found
 *   node --import tsx .ci/postgres.ts start <state>   starts it; prints its URL; <state> is for stop
 *   node --import tsx .ci/postgres.ts stop <state>    stops it and removes its directory
 *
 * A URL already in IMPACT_TEST_POSTGRES_URL (a CI service container) is used as it is: start
 * only checks it answers, stop leaves it alone. Messages go to stderr, so stdout is the URL.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import pg from "pg";
import {
  findPostgresBinaries,
  POSTGRES_URL_ENV,
  startPostgres,
  startPostgresCluster,
  stopPostgresCluster,
} from "../test/helpers/postgres.ts";

interface State {
  readonly url: string;
  readonly cluster?: { readonly dir: string; readonly pgCtl: string };
}

async function serverVersion(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ v: string }>("SELECT current_setting('server_version') AS v");
    return `PostgreSQL ${rows[0]?.v ?? "?"}`;
  } finally {
    await client.end();
  }
}

const redacted = (url: string) => {
  const parsed = new URL(url);
  if (parsed.password !== "") parsed.password = "***";
  return parsed.toString();
};

const [command, statePath] = process.argv.slice(2);

if (command === "find") {
  const binaries = findPostgresBinaries();
  console.error(
    binaries === undefined ? "no PostgreSQL server binaries found" : `PostgreSQL server binaries: ${binaries.dir}`,
  );
  process.exit(binaries === undefined ? 1 : 0);
} else if (command === "start" && statePath !== undefined) {
  try {
    const external = process.env[POSTGRES_URL_ENV];
    let state: State;
    let how: string;
    if (external !== undefined && external !== "") {
      await startPostgres();
      state = { url: external };
      how = `${POSTGRES_URL_ENV} from the environment`;
    } else {
      const cluster = await startPostgresCluster({ stopOnExit: false });
      state = { url: cluster.url, cluster: { dir: cluster.dir, pgCtl: cluster.pgCtl } };
      how = cluster.description;
    }
    writeFileSync(statePath, JSON.stringify(state));
    console.error(`PostgreSQL for the tests: ${await serverVersion(state.url)} at ${redacted(state.url)}, ${how}`);
    console.log(state.url);
  } catch (error) {
    console.error(`PostgreSQL for the tests: none (${(error as Error).message})`);
    process.exit(1);
  }
} else if (command === "stop" && statePath !== undefined) {
  let state: State | undefined;
  try {
    state = JSON.parse(readFileSync(statePath, "utf8")) as State;
  } catch {
    process.exit(0);
  }
  if (state.cluster !== undefined) await stopPostgresCluster(state.cluster);
  rmSync(statePath, { force: true });
} else {
  console.error("usage: node --import tsx .ci/postgres.ts find | start <state-file> | stop <state-file>");
  process.exit(2);
}
