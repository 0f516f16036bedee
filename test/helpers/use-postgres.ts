/**
 * vitest glue for test/helpers/postgres.ts: one server per test file (started in beforeAll, or
 * the CI run's shared one) and a fresh database for the file.
 *
 * Per file rather than a globalSetup: only the few files that need PostgreSQL pay its ~1 s start,
 * not every `vitest run` of an unrelated file; CI starts one server for all of them anyway.
 *
 * Without a server: in CI (`CI=true`) the suite fails, saying what to install, since a skipped
 * suite there would hide that it never ran; elsewhere it is skipped with a warning, so
 * `npm test` passes on a laptop without PostgreSQL.
 *
 * @example
 *   describePostgres("postgresInbox", (postgres) => {
 *     it("…", async () => { const store = postgresInbox({ connectionString: postgres.url }); … });
 *   });
 */
import { afterAll, beforeAll, describe, it } from "vitest";
import {
  createTestDatabase,
  POSTGRES_INSTALL_HINT,
  type PostgresServer,
  postgresAvailability,
  startPostgres,
  type TestDatabase,
} from "./postgres.js";

export interface PostgresHandle {
  /** The file's own database. */
  readonly url: string;
  readonly server: PostgresServer;
}

export function describePostgres(name: string, suite: (postgres: PostgresHandle) => void): void {
  const availability = postgresAvailability();
  if (!availability.available) {
    const message = `PostgreSQL tests "${name}": ${availability.reason}; ${POSTGRES_INSTALL_HINT}`;
    if (process.env.CI === "true") {
      describe(name, () => {
        it("has a PostgreSQL server to run against", () => {
          throw new Error(`CI must run the PostgreSQL tests: ${message}`);
        });
      });
      return;
    }
    console.warn(`\n${"!".repeat(100)}\nSKIPPED ${message}\n${"!".repeat(100)}\n`);
  }
  describe.skipIf(!availability.available)(name, () => {
    let server: PostgresServer | undefined;
    let database: TestDatabase | undefined;
    beforeAll(async () => {
      server = await startPostgres();
      database = await createTestDatabase(server.url);
    }, 90_000);
    afterAll(async () => {
      try {
        await database?.drop();
      } finally {
        await server?.stop();
      }
    });
    const missing = () => new Error(`PostgreSQL for "${name}" is not running (did beforeAll fail?)`);
    suite({
      get url() {
        if (database === undefined) throw missing();
        return database.url;
      },
      get server() {
        if (server === undefined) throw missing();
        return server;
      },
    });
  });
}
