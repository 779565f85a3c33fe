/**
 * Which requests shared a model execution. A request runs inside a ticket's scope; a batching
 * queue that runs it with others writes on the ticket whether it led the batch and how many rows
 * the batch had, so that statistics count one execution per batch (Triton's `execution_count`
 * and `batch_stats`), not one per request.
 */
import { AsyncLocalStorage } from "node:async_hooks";

/** What a batching queue wrote about the run that answered one request. */
export interface SharedExecution {
  /** True for exactly one request of each batch: the one that reports the execution. */
  leader: boolean;
  /** Rows (inferences) of the whole batch. */
  rows: number;
}

/** Filled in by a batching queue; untouched when the request ran on its own. */
export interface ExecutionTicket {
  shared?: SharedExecution;
}

const scope = new AsyncLocalStorage<ExecutionTicket>();

/**
 * Runs `work` with a fresh ticket, and answers its result with the ticket.
 *
 * @example
 * const { result, ticket } = await withExecutionTicket(() => model.infer(inputs, outputs));
 * ticket.shared; // { leader: false, rows: 12 } when another request's batch carried it
 */
export async function withExecutionTicket<T>(work: () => Promise<T>): Promise<{ result: T; ticket: ExecutionTicket }> {
  const ticket: ExecutionTicket = {};
  const result = await scope.run(ticket, work);
  return { result, ticket };
}

/** The ticket of the request under way (read by a batching queue when it is handed the request). */
export function currentExecutionTicket(): ExecutionTicket | undefined {
  return scope.getStore();
}
