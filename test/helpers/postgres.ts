/**
 * A real PostgreSQL server for the tests: `IMPACT_TEST_POSTGRES_URL` when set (.ci/run starts one
 * server for the whole run and sets it), else a throw-away cluster of this machine's server
 * binaries, on a free port of 127.0.0.1, in a fresh temp dir removed by `stop()`.
 *
 * No vitest import here: .ci/postgres.ts starts the CI server with the same code.
 */
import { execFileSync, spawn } from "node:child_process";
import { accessSync, chownSync, constants, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import pg from "pg";

export const POSTGRES_URL_ENV = "IMPACT_TEST_POSTGRES_URL";

export const POSTGRES_INSTALL_HINT =
  "install the PostgreSQL server (Debian/Ubuntu: apt-get install postgresql, which puts initdb and pg_ctl in " +
  "/usr/lib/postgresql/<version>/bin; macOS: brew install postgresql) or set IMPACT_TEST_POSTGRES_URL to a " +
  "server's URL (postgres://user:password@host:port/postgres, a role allowed to CREATE DATABASE)";

export interface PostgresServer {
  /** A role that may create databases, connected to its maintenance database. */
  readonly url: string;
  /** For messages: where it came from. */
  readonly description: string;
  stop(): Promise<void>;
}

export interface PostgresBinaries {
  readonly dir: string;
  readonly initdb: string;
  readonly pgCtl: string;
}

const executable = (path: string) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** initdb and pg_ctl from one directory: PATH first, then Debian's /usr/lib/postgresql/<version>/bin, newest first. */
export function findPostgresBinaries(): PostgresBinaries | undefined {
  const debian = "/usr/lib/postgresql";
  const versions = existsSync(debian)
    ? readdirSync(debian)
        .filter((name) => /^\d+(\.\d+)?$/.test(name))
        .sort((a, b) => Number(b) - Number(a))
        .map((version) => join(debian, version, "bin"))
    : [];
  const path = (process.env.PATH ?? "").split(delimiter).filter((dir) => dir !== "");
  for (const dir of [...path, ...versions]) {
    const initdb = join(dir, "initdb");
    const pgCtl = join(dir, "pg_ctl");
    if (executable(initdb) && executable(pgCtl)) return { dir, initdb, pgCtl };
  }
  return undefined;
}

/**
 * initdb and postgres refuse to run as root: as root they run as the user `postgres` (the Debian
 * package creates it), through runuser, or su where there is no runuser.
 */
interface RunAs {
  readonly command: (argv: readonly string[]) => readonly [string, string[]];
  /** Owner to give the cluster's directory: the user the server runs as. */
  readonly owner: { readonly uid: number; readonly gid: number } | undefined;
  readonly description: string;
}

const shellQuote = (arg: string) => `'${arg.replaceAll("'", `'\\''`)}'`;

function runAs(): RunAs | { readonly error: string } {
  if (process.getuid?.() !== 0)
    return { command: ([cmd, ...args]) => [cmd as string, args], owner: undefined, description: "" };
  let owner: { uid: number; gid: number };
  try {
    const id = (flag: string) => Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }).trim());
    owner = { uid: id("-u"), gid: id("-g") };
  } catch {
    return {
      error:
        "running as root, where initdb refuses to run, and there is no user `postgres` to run it as (useradd --system postgres)",
    };
  }
  const runuser = ["/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser"].find(executable);
  if (runuser !== undefined)
    return {
      command: (argv) => [runuser, ["-u", "postgres", "--", ...argv]],
      owner,
      description: " as user postgres (runuser)",
    };
  const su = ["/usr/bin/su", "/bin/su"].find(executable);
  if (su !== undefined)
    return {
      command: (argv) => [su, ["postgres", "-s", "/bin/sh", "-c", argv.map(shellQuote).join(" ")]],
      owner,
      description: " as user postgres (su)",
    };
  return {
    error: "running as root, where initdb refuses to run, and neither runuser nor su is there to run it as `postgres`",
  };
}

export type PostgresAvailability =
  | { readonly available: true; readonly how: string }
  | { readonly available: false; readonly reason: string };

/** Whether `startPostgres` can work, decided without starting anything (for describe.skipIf). */
export function postgresAvailability(): PostgresAvailability {
  const url = process.env[POSTGRES_URL_ENV];
  if (url !== undefined && url !== "") return { available: true, how: `${POSTGRES_URL_ENV}` };
  const binaries = findPostgresBinaries();
  if (binaries === undefined)
    return {
      available: false,
      reason: `no PostgreSQL server binaries (initdb, pg_ctl) on PATH or in /usr/lib/postgresql/*/bin, and ${POSTGRES_URL_ENV} is not set`,
    };
  const as = runAs();
  if ("error" in as) return { available: false, reason: as.error };
  return { available: true, how: `a throw-away cluster of ${binaries.dir}${as.description}` };
}

function run(as: RunAs, argv: readonly string[], cwd: string): Promise<{ code: number | null; output: string }> {
  const [command, args] = as.command(argv);
  return new Promise((resolve, reject) => {
    // The environment's PG* variables would point pg_ctl at another cluster or port.
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("PG")));
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk;
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address !== null ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/** A directory the server's user can write, with a short path: the socket's path is limited to ~100 bytes. */
async function clusterDir(as: RunAs): Promise<string> {
  const tried: string[] = [];
  for (const parent of [...new Set([tmpdir(), "/tmp"])]) {
    let dir: string;
    try {
      dir = mkdtempSync(join(parent, "iepg-"));
    } catch {
      tried.push(`${parent} (not writable)`);
      continue;
    }
    if (as.owner === undefined) return dir;
    chownSync(dir, as.owner.uid, as.owner.gid);
    // A parent it cannot traverse (e.g. TMPDIR under /root) makes initdb fail later, less clearly.
    if ((await run(as, ["test", "-w", dir], "/")).code === 0) return dir;
    rmSync(dir, { recursive: true, force: true });
    tried.push(`${parent} (not reachable by postgres)`);
  }
  throw new Error(`no temp directory for the PostgreSQL cluster: tried ${tried.join(", ")}`);
}

async function waitUntilAccepting(url: string, deadline: number): Promise<void> {
  for (;;) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.query("SELECT 1");
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      await client.end().catch(() => {});
    }
  }
}

export interface PostgresCluster extends PostgresServer {
  readonly dir: string;
  readonly pgCtl: string;
}

/** Stops a cluster started by `startPostgresCluster` (also from another process: .ci/postgres.ts). */
export async function stopPostgresCluster(cluster: { readonly dir: string; readonly pgCtl: string }): Promise<void> {
  const as = runAs();
  if (!("error" in as) && existsSync(join(cluster.dir, "data", "postmaster.pid"))) {
    const stopped = await run(
      as,
      [cluster.pgCtl, "-D", join(cluster.dir, "data"), "-m", "fast", "-w", "stop"],
      cluster.dir,
    );
    if (stopped.code !== 0)
      await run(as, [cluster.pgCtl, "-D", join(cluster.dir, "data"), "-m", "immediate", "-w", "stop"], cluster.dir);
  }
  rmSync(cluster.dir, { recursive: true, force: true });
}

/**
 * initdb (trust, superuser `postgres`, --no-sync: a throw-away cluster needs no durability at
 * creation) and pg_ctl start on a free port, listening on 127.0.0.1 and a socket in its own
 * directory only, so it never meets a system cluster. A port taken between choosing and binding
 * is retried with another.
 */
export async function startPostgresCluster(options: { readonly stopOnExit?: boolean } = {}): Promise<PostgresCluster> {
  const binaries = findPostgresBinaries();
  if (binaries === undefined) throw new Error(`cannot start PostgreSQL: ${POSTGRES_INSTALL_HINT}`);
  const as = runAs();
  if ("error" in as) throw new Error(`cannot start PostgreSQL: ${as.error}`);
  const dir = await clusterDir(as);
  const data = join(dir, "data");
  const cluster = { dir, pgCtl: binaries.pgCtl };
  let exitHook: (() => void) | undefined;
  try {
    const init = await run(
      as,
      [binaries.initdb, "-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync"],
      dir,
    );
    if (init.code !== 0) throw new Error(`initdb failed (${init.code}):\n${init.output}`);
    const failures: string[] = [];
    for (let attempt = 1; attempt <= 5; attempt++) {
      const port = await freePort();
      const server = `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories=${dir}`;
      const log = join(dir, `server-${attempt}.log`);
      const started = await run(
        as,
        [binaries.pgCtl, "-D", data, "-l", log, "-w", "-t", "60", "-o", server, "start"],
        dir,
      );
      if (started.code !== 0) {
        const logText = existsSync(log) ? execFileSync("tail", ["-n", "20", log], { encoding: "utf8" }) : "";
        failures.push(`port ${port}: ${started.output.trim()}\n${logText}`);
        continue;
      }
      if (options.stopOnExit ?? true) {
        // A test run that ends without afterAll (a crash, a timeout kill) must not leave servers behind.
        exitHook = () => {
          try {
            execFileSync(...as.command([binaries.pgCtl, "-D", data, "-m", "immediate", "stop"]), {
              stdio: "ignore",
              cwd: dir,
            });
          } catch {}
          rmSync(dir, { recursive: true, force: true });
        };
        process.once("exit", exitHook);
      }
      const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
      await waitUntilAccepting(url, Date.now() + 30_000);
      let stopping: Promise<void> | undefined;
      return {
        url,
        dir,
        pgCtl: binaries.pgCtl,
        description: `a throw-away cluster at 127.0.0.1:${port} (${binaries.dir}${as.description})`,
        stop() {
          if (exitHook !== undefined) process.off("exit", exitHook);
          stopping ??= stopPostgresCluster(cluster);
          return stopping;
        },
      };
    }
    throw new Error(`pg_ctl start failed 5 times:\n${failures.join("\n")}`);
  } catch (error) {
    if (exitHook !== undefined) process.off("exit", exitHook);
    await stopPostgresCluster(cluster);
    throw error;
  }
}

/** The server named by IMPACT_TEST_POSTGRES_URL (stop does nothing), else a throw-away cluster. */
export async function startPostgres(): Promise<PostgresServer> {
  const url = process.env[POSTGRES_URL_ENV];
  if (url !== undefined && url !== "") {
    await waitUntilAccepting(url, Date.now() + 10_000);
    return { url, description: `${POSTGRES_URL_ENV}`, stop: async () => {} };
  }
  return startPostgresCluster();
}

export interface TestDatabase {
  readonly url: string;
  readonly name: string;
  drop(): Promise<void>;
}

/** A new, empty database on the server: test files sharing one server (CI) never see each other's tables. */
export async function createTestDatabase(serverUrl: string): Promise<TestDatabase> {
  const name = `impact_test_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  let dropping: Promise<void> | undefined;
  return {
    url: url.toString(),
    name,
    drop() {
      dropping ??= (async () => {
        const client = new pg.Client({ connectionString: serverUrl });
        await client.connect();
        try {
          // WITH (FORCE): a pool a failed test left open would otherwise block the drop.
          await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        } finally {
          await client.end();
        }
      })();
      return dropping;
    },
  };
}
