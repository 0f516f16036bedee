/**
 * Runs around every test in the suite: no test may leave Object.prototype (or Array.prototype)
 * changed. A pollution bug anywhere fails the test that caused it, not a later one.
 */
import { afterEach, expect } from "vitest";

const snapshot = (o: object) => Reflect.ownKeys(o).map(String).sort();
const objectKeys = snapshot(Object.prototype);
const arrayKeys = snapshot(Array.prototype);

afterEach(() => {
  expect(snapshot(Object.prototype), "Object.prototype was modified").toEqual(objectKeys);
  expect(snapshot(Array.prototype), "Array.prototype was modified").toEqual(arrayKeys);
  expect(Object.getPrototypeOf({}), "{} lost its prototype").toBe(Object.prototype);
});
