import { credentialLibraries } from "./libraries.server";

/**
 * The JSON-LD documents credentials need, all offline: the W3C VC contexts and the Open Badges
 * 3.0 contexts as published on npm, did:key documents (computed from the key itself), and the
 * academy's own status lists (supplied by the caller). Any other URL throws: issuing or
 * verifying never reaches the network, so nobody can change what a credential means by
 * changing a file on a server.
 */

/** The bundled contexts and a did:key resolver for Ed25519 keys, made on first use. */
let offline: Promise<{ bundled: Map<string, object>; resolveDidKey: (url: string) => Promise<unknown> }> | undefined;
const offlineDocuments = () =>
  (offline ??= credentialLibraries().then(({ bundledContexts, didKey, Ed25519Multikey }) => {
    const driver = didKey.driver();
    driver.use({ multibaseMultikeyHeader: "z6Mk", fromMultibase: Ed25519Multikey.from });
    return { bundled: bundledContexts, resolveDidKey: (url: string) => driver.get({ url }) };
  }));

export interface RemoteDocument {
  contextUrl: null;
  documentUrl: string;
  document: unknown;
}
export type DocumentLoader = (url: string) => Promise<RemoteDocument>;

export class DocumentNotBundled extends Error {
  constructor(readonly url: string) {
    super(`"${url}" is not one of the documents this verifier has offline.`);
  }
}

export function createDocumentLoader(extra?: (url: string) => Promise<object | null>): DocumentLoader {
  return async (url: string) => {
    const { bundled: contexts, resolveDidKey } = await offlineDocuments();
    const bundled = contexts.get(url);
    if (bundled) return { contextUrl: null, documentUrl: url, document: bundled };
    if (url.startsWith("did:key:z6Mk")) {
      try {
        return { contextUrl: null, documentUrl: url, document: await resolveDidKey(url) };
      } catch {
        throw new DocumentNotBundled(url);
      }
    }
    const document = extra ? await extra(url) : null;
    if (document) return { contextUrl: null, documentUrl: url, document };
    throw new DocumentNotBundled(url);
  };
}
