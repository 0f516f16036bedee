/**
 * The inbox the CLI works on: a SQLite file (the default, `.impact-inbox.sqlite` in the current
 * folder) or a PostgreSQL URL (`postgres://…`). Loaded lazily, so commands that never touch an
 * inbox never load a database driver.
 */
import { resolve } from "node:path";
import type { Inbox } from "../inbox/create-inbox.js";
import { CliError } from "./cli-error.js";
import { exitCodes } from "./exit-codes.js";

export const isPostgresUrl = (target: string) => /^postgres(?:ql)?:\/\//i.test(target);

/**
 * Opens (and migrates) the inbox at `target`. When `required` is false (`listen` recording by
 * default) a failure to open is a warning on stderr and no inbox; otherwise a CliError saying what to do.
 */
export async function openCliInbox(target: string, required: true): Promise<Inbox>;
export async function openCliInbox(target: string, required: boolean): Promise<Inbox | undefined>;
export async function openCliInbox(target: string, required: boolean): Promise<Inbox | undefined> {
  const { createInbox, postgresInbox, sqliteInbox } = await import("../inbox/index.js");
  const store = isPostgresUrl(target)
    ? postgresInbox({ connectionString: target })
    : sqliteInbox({ file: resolve(target) });
  try {
    return await createInbox(store);
  } catch (error) {
    await store.close().catch(() => undefined);
    const reason = (error instanceof Error ? error.message : String(error)).split("\n")[0];
    const fix = isPostgresUrl(target)
      ? "Check the URL and that the server runs (npm install pg, if it is missing)."
      : "Check that the folder exists and is writable.";
    if (required)
      throw new CliError(`Cannot open the inbox ${store.location}: ${reason}. ${fix}`, exitCodes.environment);
    process.stderr.write(`warning: not recording (${store.location}: ${reason}). ${fix} Or pass --no-inbox.\n`);
    return undefined;
  }
}
