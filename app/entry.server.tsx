import { Writable } from "node:stream";
import { log } from "~/utils/log.server";
import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { renderToPipeableStream } from "react-dom/server";
import { PRIVATE_NO_STORE, documentCsp } from "~/http/security.server";
import { NonceProvider } from "~/components/nonce";
import { PrerenderedParts } from "~/components/static-html";
import { prerenderedPart } from "~/content/prerendered.server";
import { IslandScripts } from "~/components/islands";
import { islandScripts } from "~/content/islands.server";
import { getEnv } from "~/utils/env.server";

export const streamTimeout = 5_000;

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = loadContext.cspNonce;
  responseHeaders.set("Content-Type", "text/html; charset=utf-8");
  responseHeaders.set(
    "Content-Security-Policy",
    documentCsp({
      nonce,
      devSocket: getEnv().NODE_ENV === "development" ? "ws://localhost:*" : undefined,
    }),
  );
  if (!responseHeaders.has("Cache-Control")) responseHeaders.set("Cache-Control", PRIVATE_NO_STORE);

  // Pages use no deferred data, so the whole document is rendered before it is sent: one
  // buffer is much cheaper to hand to Node than a stream of small chunks (see npm run bench).
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk);
        done();
      },
      final(done) {
        clearTimeout(timer);
        resolve(new Response(Buffer.concat(chunks), { headers: responseHeaders, status: responseStatusCode }));
        done();
      },
    });
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <PrerenderedParts.Provider value={prerenderedPart}>
          <IslandScripts.Provider value={islandScripts()}>
            <RemixServer context={remixContext} url={request.url} abortDelay={streamTimeout} nonce={nonce} />
          </IslandScripts.Provider>
        </PrerenderedParts.Provider>
      </NonceProvider>,
      {
        nonce,
        onAllReady() {
          pipe(sink);
        },
        onShellError(error: unknown) {
          clearTimeout(timer);
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          log().error({ err: error }, "rendering failed");
        },
      },
    );
    const timer = setTimeout(abort, streamTimeout + 1000);
  });
}

/**
 * The data a client-side navigation or form fetches (`/route.data`) is the same private data the
 * page shows: never cached (the HTTP layer's default says so too, for any other response).
 */
export function handleDataRequest(response: Response): Response {
  if (!response.headers.has("Cache-Control")) response.headers.set("Cache-Control", PRIVATE_NO_STORE);
  return response;
}

export function handleError(error: unknown, { request }: { request: Request }) {
  if (request.signal.aborted) return;
  // The stack goes to the log only; the person sees the error page (ADR 0036).
  log().error({ err: error }, "request failed");
}
