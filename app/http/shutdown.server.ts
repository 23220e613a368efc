import type { NextFunction, Request, Response } from "express";

/**
 * Graceful shutdown's shared state (issue 18, ADR 0035). Once a process has been told to stop,
 * `/readyz` answers 503 so a load balancer sends it nothing new, and every response carries
 * `Connection: close` so clients open their next request elsewhere instead of reusing a
 * connection that is about to go.
 */
declare global {
  var __academyShuttingDown: boolean | undefined;
}

export function markShuttingDown(): void {
  globalThis.__academyShuttingDown = true;
}

export function isShuttingDown(): boolean {
  return globalThis.__academyShuttingDown === true;
}

export function closeConnectionsWhenStopping() {
  return (_req: Request, res: Response, next: NextFunction) => {
    if (isShuttingDown()) res.setHeader("Connection", "close");
    next();
  };
}
