/**
 * What every refusal over HTTP must look like (issue 7, STYLE.md "Errors"): the documented status
 * and code (src/errors/codes.ts), RFC 9457 application/problem+json, a bounded body, no echo of
 * the input, no stack trace.
 */
import { expect } from "vitest";
import { problemCodes } from "../../src/errors/codes.js";
import type { RawResponse } from "./raw-http.js";

/** Appears in hostile values; an error body containing it echoes the input. */
export const MARKER = "ZqX7marker";
const MAX_ERROR_BODY = 4096;

/** What every refusal must look like: documented code and status, bounded, no echo, no stack. */
export function expectCleanProblem(response: RawResponse, want: { status: number; code: string }) {
  expect(response.status).toBe(want.status);
  expect(response.headers["content-type"]).toBe("application/problem+json");
  expect(response.body.length).toBeLessThanOrEqual(MAX_ERROR_BODY);
  const problem = JSON.parse(response.body) as { code: string; status: number; type: string };
  expect(problem.code).toBe(want.code);
  expect(problem.status).toBe(want.status);
  expect(problemCodes[want.code as keyof typeof problemCodes]?.status).toBe(want.status);
  expect(response.body).not.toContain(MARKER);
  expect(response.body).not.toMatch(/\n\s+at |node:internal|\.ts:\d+/);
}
