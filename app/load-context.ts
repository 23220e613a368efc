import "@remix-run/node";

declare module "@remix-run/node" {
  interface AppLoadContext {
    /** Per-request CSP nonce, set by the HTTP server. */
    cspNonce: string;
    /** The client's address (the socket's, or the right-most X-Forwarded-For entry not added by a trusted proxy: TRUST_PROXY). */
    clientIp: string;
  }
}

export {};
