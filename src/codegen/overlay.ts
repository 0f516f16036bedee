/**
 * Applies an OpenAPI Overlay 1.0.0 document (https://spec.openapis.org/overlay/v1.0.0.html):
 * each action's `target` selects nodes; `update` is merged into each (objects recursively,
 * arrays appended, as the spec says), `remove: true` deletes them. An action that selects
 * nothing is an error: the vendor document changed under the overlay, and silently skipping
 * would drop a rule.
 */
import { type JsonPathNode, queryJsonPath } from "./jsonpath.js";

export interface OverlayAction {
  target: string;
  description?: string;
  update?: unknown;
  remove?: boolean;
}

export interface Overlay {
  overlay: string;
  info: { title: string; version: string };
  actions: OverlayAction[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function merge(target: unknown, update: unknown): unknown {
  if (Array.isArray(target) && Array.isArray(update)) return [...target, ...structuredClone(update)];
  if (isRecord(target) && isRecord(update)) {
    for (const [key, value] of Object.entries(update)) {
      target[key] = key in target ? merge(target[key], value) : structuredClone(value);
    }
    return target;
  }
  return structuredClone(update);
}

export function assertOverlay(value: unknown, source: string): asserts value is Overlay {
  if (!isRecord(value) || typeof value.overlay !== "string" || !value.overlay.startsWith("1.")) {
    throw new Error(`${source}: not an OpenAPI Overlay 1.x document (missing "overlay: 1.0.0")`);
  }
  if (!Array.isArray(value.actions)) throw new Error(`${source}: "actions" must be a list`);
  for (const [i, action] of value.actions.entries()) {
    if (!isRecord(action) || typeof action.target !== "string") {
      throw new Error(`${source}: actions[${i}] needs a "target" JSONPath`);
    }
    if (action.update === undefined && action.remove !== true) {
      throw new Error(`${source}: actions[${i}] needs "update" or "remove: true"`);
    }
  }
}

/**
 * Deletes every selected node. Array elements are spliced from the highest index down, per
 * array: splicing [a,b,c,d] at 0 and then at 1 would remove a and c, not a and b.
 */
function removeNodes(nodes: readonly JsonPathNode[]): void {
  const indexesByArray = new Map<unknown[], number[]>();
  for (const node of nodes) {
    if (Array.isArray(node.parent)) {
      const indexes = indexesByArray.get(node.parent) ?? [];
      indexes.push(Number(node.key));
      indexesByArray.set(node.parent, indexes);
    } else {
      delete node.parent[node.key as string];
    }
  }
  for (const [array, indexes] of indexesByArray) {
    for (const index of indexes.sort((a, b) => b - a)) array.splice(index, 1);
  }
}

/** Returns a new document; the input is not modified. */
export function applyOverlay<T>(document: T, overlay: Overlay, source: string): T {
  const result = structuredClone(document);
  for (const [i, action] of overlay.actions.entries()) {
    const nodes = queryJsonPath(result, action.target);
    if (nodes.length === 0) {
      throw new Error(
        `${source}: actions[${i}] target ${action.target} selects nothing; the contract it overlays has changed, update the overlay`,
      );
    }
    if (action.remove === true) {
      removeNodes(nodes);
      continue;
    }
    for (const node of nodes) {
      if (Array.isArray(node.parent)) {
        node.parent[node.key as number] = merge(node.value, action.update);
      } else {
        node.parent[node.key as string] = merge(node.value, action.update);
      }
    }
  }
  return result;
}
