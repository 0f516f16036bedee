/**
 * How every entry point names its contract: a built-in contract by name ("documented", the
 * default), or a contract value — one of the `contracts` your project generated with
 * `npx impact-event-notifications generate`, or what `compileTemplate` returned. The type of a
 * valid notification is read from the selector, so a template's own keys type-check and others
 * do not.
 */
import { contracts as builtIn, type ContractName, type ContractTypes } from "../generated/index.js";
import type { Contract, ContractRegistry, ContractRuntime, Delivery } from "./contract.js";

/** What a `contract` option takes: a built-in contract's name, or a contract value. */
export type ContractSelector = ContractName | Contract;

/** The contract's name, as results and handler contexts report it (`result.contract`). */
export type NameOf<C> = C extends ContractName ? C : C extends { readonly name: infer N extends string } ? N : never;

/** The notification type per delivery of a selector, e.g. `{ GET: { payout: string } }`. */
export type TypesOf<C> = C extends ContractName
  ? ContractTypes[C]
  : C extends { readonly "~types"?: infer T }
    ? unknown extends T
      ? { readonly GET?: unknown; readonly POST?: unknown }
      : NonNullable<T>
    : never;

/** The deliveries a selector describes. */
export type DeliveryOf<C> = Delivery & keyof TypesOf<C>;

/** The contracts of a registry, as a union (for routed results). */
export type ContractOf<R> = R extends ContractRegistry ? R[keyof R] : never;

const builtInList = builtIn as Readonly<Record<string, ContractRuntime>>;

const GENERATE_HINT =
  "For your own templates, run `npx impact-event-notifications generate` in your project and pass the contract object: " +
  'import { contracts } from "./impact-contracts/index.js"; { contract: contracts["<name>"] }.';

function isContractValue(value: unknown): value is ContractRuntime {
  if (typeof value !== "object" || value === null) return false;
  const c = value as Partial<ContractRuntime>;
  if (typeof c.name !== "string" || typeof c.operations !== "object" || c.operations === null) return false;
  for (const delivery of ["GET", "POST"] as const) {
    const op = c.operations[delivery];
    if (op !== undefined && (typeof op.validate !== "function" || typeof op.validateAllErrors !== "function")) {
      return false;
    }
  }
  return c.operations.GET !== undefined || c.operations.POST !== undefined;
}

/**
 * The contract a selector names. Throws a TypeError (a configuration mistake, never a client's)
 * for a name that is not built in or a value that is not a contract.
 */
export function resolveContract(selector: unknown, option = "contract"): ContractRuntime {
  if (typeof selector === "string") {
    // Own keys only: "toString" or "__proto__" must not reach Object.prototype.
    const found = Object.hasOwn(builtInList, selector) ? builtInList[selector] : undefined;
    if (found !== undefined) return found;
    throw new TypeError(
      `Unknown contract "${selector}" in \`${option}\`. Built in: ${Object.keys(builtInList).join(", ")}. ${GENERATE_HINT}`,
    );
  }
  if (isContractValue(selector)) return selector;
  throw new TypeError(
    `\`${option}\` must be a built-in contract name (${Object.keys(builtInList).join(", ")}) or a contract object. ${GENERATE_HINT}`,
  );
}

/** Every contract of a registry, checked; for `contracts` options. */
export function resolveRegistry(registry: unknown, option = "contracts"): ContractRuntime[] {
  if (typeof registry !== "object" || registry === null || Array.isArray(registry)) {
    throw new TypeError(
      `\`${option}\` must be the \`contracts\` object of your generated folder (import { contracts } from "./impact-contracts/index.js").`,
    );
  }
  const list = Object.entries(registry as Record<string, unknown>).map(([name, c]) =>
    resolveContract(c, `${option}.${name}`),
  );
  if (list.length === 0) throw new TypeError(`\`${option}\` holds no contract. ${GENERATE_HINT}`);
  return list;
}

/** The built-in registry (generated/index.ts), as contract values. */
export const builtInContracts: readonly ContractRuntime[] = Object.values(builtInList);
