import type { LocalStack } from "../../functions/local/stack.js";

/**
 * Count the DynamoDB requests the handlers send through the stack's DocumentClient (the same client
 * object the in-process handlers use): a middleware at the `initialize` step sees every command once.
 */
export function countStoreRequests(stack: LocalStack): { readonly count: number; readonly commands: string[]; reset(): void; stop(): void } {
  const name = `countStoreRequests-${Math.random().toString(36).slice(2)}`;
  const commands: string[] = [];
  stack.store.doc.middlewareStack.add(
    (next, context) => async (args) => {
      commands.push(String(context.commandName ?? "?"));
      return next(args);
    },
    { step: "initialize", name },
  );
  return {
    get count() {
      return commands.length;
    },
    commands,
    reset() {
      commands.length = 0;
    },
    stop() {
      stack.store.doc.middlewareStack.remove(name);
    },
  };
}
