import "@remix-run/node";

declare module "@remix-run/node" {
  interface AppLoadContext {
    /** Per-request CSP nonce, set by the HTTP server. */
    cspNonce: string;
    /** The client's address (the socket's, or the right-most X-Forwarded-For entry not added by a trusted proxy: TRUST_PROXY). */
    clientIp: string;
    /**
     * True when Remix answers with a document (HTML), false for a single-fetch data request
     * (`.data`): a loader may then leave out what the document carries already (ADR 0046).
     */
    documentRequest: boolean;
  }
}

export {};
