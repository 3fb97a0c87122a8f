// Errors the functions host raises for its callers (the HTTP server, timers, the durable backend).

/** The invoker was asked for a function the app did not register. */
export class FunctionNotFoundError extends Error {
  override readonly name = 'FunctionNotFoundError';
  constructor(
    readonly functionName: string,
    known: readonly string[],
  ) {
    super(
      `No function named "${functionName}" is registered; known functions: ${known.join(', ') || '(none)'}.`,
    );
  }
}

/** Something the invocation needs is not there yet (programming model, durable extension). */
export class HostNotReadyError extends Error {
  override readonly name = 'HostNotReadyError';
}

/** The app folder could not be loaded: missing package.json `main`, bad JSON, import failure. */
export class AppLoadError extends Error {
  override readonly name = 'AppLoadError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The invocation ran longer than host.json `functionTimeout`. */
export class FunctionTimeoutError extends Error {
  override readonly name = 'FunctionTimeoutError';
  constructor(
    readonly functionName: string,
    readonly timeoutMs: number,
  ) {
    super(
      `Function "${functionName}" did not finish within functionTimeout (${timeoutMs} ms); raise host.json functionTimeout or make it faster.`,
    );
  }
}
