import "@remix-run/node";

declare module "@remix-run/node" {
  interface AppLoadContext {
    /** Per-request CSP nonce, set by the HTTP server. */
    cspNonce: string;
    /** The client's address (from the socket, or X-Forwarded-For when TRUST_PROXY=1). */
    clientIp: string;
  }
}

export {};
