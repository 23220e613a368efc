import type { NextFunction, Request, Response } from "express";
import { beforeHeadersWritten } from "./before-headers.server";

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

/**
 * Decided when the response's headers are written, not when the request arrived: a request
 * already in flight at SIGTERM (a slow upload, a long page) answers with `Connection: close` too,
 * so its client does not send its next request on a connection the draining process will close.
 */
export function closeConnectionsWhenStopping() {
  return (_req: Request, res: Response, next: NextFunction) => {
    beforeHeadersWritten(res, (r) => {
      if (isShuttingDown()) r.setHeader("Connection", "close");
    });
    next();
  };
}
