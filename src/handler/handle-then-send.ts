import type { ContractSelector } from "../select-contract.js";
import type { Send } from "../verify/receive.js";
import { processingFailed, type VerifyResult } from "../verify/verify-result.js";
import {
  type ClientConnection,
  type HandlerOptions,
  handleVerdict,
  type OnNotification,
} from "./handle-notification.js";

/** A request as a handler adapter keeps it: where the client's disconnect shows (see `ClientConnection`). */
export interface HandledRequest {
  readonly client: ClientConnection | undefined;
}

/**
 * Every adapter's handler: the `send` it gives the adapter core runs `onNotification` on the
 * verdict (`handleVerdict`) and then `write`s the answer, once per request. Anything unexpected
 * on the way (a bug, a write that throws) becomes `processingFailed()` (500, impact.com retries)
 * rather than an unanswered request. Made once per handler: a request costs no closure here
 * unless its handler returns a promise.
 */
export function handleThenSend<R extends HandledRequest, N extends ContractSelector>(
  onNotification: OnNotification<N>,
  options: HandlerOptions,
  write: (request: R, answer: VerifyResult<N>) => void,
): Send<R, N> {
  const failed = (request: R) => write(request, processingFailed());
  return (request, result) => {
    let outcome: VerifyResult<N> | Promise<VerifyResult<N>>;
    try {
      outcome = handleVerdict(result, onNotification, options, request.client);
      if (!(outcome instanceof Promise)) {
        write(request, outcome);
        return;
      }
    } catch {
      failed(request);
      return;
    }
    outcome.then((answer) => write(request, answer)).catch(() => failed(request));
  };
}
