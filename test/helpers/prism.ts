/**
 * The real Prism mock for contract tests: nothing here is mocked. Starts Prism once per test file
 * (it needs a few seconds), on a free port of 127.0.0.1, and always stops it in afterAll, even
 * when a test or the start itself failed.
 *
 * @example
 *   const prism = usePrism("documented");
 *   it("…", async () => { await fetch(`${prism.url}/your-configured-path`); });
 */
import { afterAll, beforeAll } from "vitest";
import { type RunningPrism, startPrism } from "../../src/cli/start-prism.js";

export type { RunningPrism };
export { startPrism };

export interface PrismHandle {
  readonly url: string;
  readonly running: RunningPrism;
}

/** Registers beforeAll/afterAll hooks; the handle's fields are readable once tests run. */
export function usePrism(contract: string): PrismHandle {
  let running: RunningPrism | undefined;
  beforeAll(async () => {
    running = await startPrism({ contract });
  }, 60_000);
  afterAll(async () => {
    await running?.stop();
  });
  return {
    get url() {
      if (running === undefined) throw new Error(`Prism for "${contract}" is not running (did beforeAll fail?)`);
      return running.url;
    },
    get running() {
      if (running === undefined) throw new Error(`Prism for "${contract}" is not running (did beforeAll fail?)`);
      return running;
    },
  };
}
