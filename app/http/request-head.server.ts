import type { Request as ExpressRequest } from "express";
import type { RequestHead } from "~/auth/guards.server";

/**
 * What the guards read of a request (`RequestHead`): its URL and headers, read from the Node
 * request itself, for handlers that run before Remix. Building a Fetch `Request` (its headers
 * copied, its body turned into a web stream) cost more than the rest of the guard (ADR 0050).
 */
export function requestHeadOf(req: ExpressRequest): RequestHead {
  return {
    url: `${req.protocol}://${req.get("host") ?? "localhost"}${req.originalUrl}`,
    headers: { get: (name: string) => req.get(name) ?? null },
  };
}
