import type { Response } from "express";

/**
 * Runs `adjust` on a response just before its headers are written, while they can still change.
 * Every way of answering (`writeHead`, or `write`/`end` without it) goes through `writeHead`, so
 * a header decided here holds for every response, however late it is answered.
 */
export function beforeHeadersWritten(res: Response, adjust: (res: Response) => void): void {
  const writeHead = res.writeHead;
  res.writeHead = function (this: Response, ...args: unknown[]) {
    if (!this.headersSent) adjust(this);
    return (writeHead as (...a: unknown[]) => Response).apply(this, args);
  } as Response["writeHead"];
}
