import type { NextFunction, Request, Response } from "express";

/** How much of an unread body is thrown away after the response, before the connection is dropped. */
const DRAIN_LIMIT_BYTES = 16 * 1024 * 1024;

/**
 * When a response is sent before the request body was read (a sign-in redirect, a 403, a 413
 * from its declared length), the rest of the body is read and thrown away, as a web server's
 * "lingering close" does. Otherwise the connection is reset while the client is still sending,
 * and a browser shows a connection error instead of the page. Nothing is kept or parsed; past
 * DRAIN_LIMIT_BYTES the connection is dropped.
 */
export function drainUnreadBodies() {
  return (req: Request, res: Response, next: NextFunction) => {
    res.on("finish", () => {
      if (req.complete || req.destroyed) return;
      // Remix's request stream stopped pulling; discard the rest instead of queueing it.
      req.removeAllListeners("data");
      let drained = 0;
      req.on("data", (chunk: Buffer) => {
        drained += chunk.byteLength;
        if (drained > DRAIN_LIMIT_BYTES) req.destroy();
      });
      req.resume();
    });
    next();
  };
}
