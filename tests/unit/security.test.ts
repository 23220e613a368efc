import { describe, expect, it } from "vitest";
import { documentCsp, isCrossSiteRequest } from "~/http/security.server";
import { safeRedirectPath } from "~/auth/guards.server";

const allowedOrigins = ["http://127.0.0.1:3000"];

describe("cross-site request refusal", () => {
  it.each([
    { method: "POST", secFetchSite: "cross-site", expected: true },
    { method: "POST", secFetchSite: "same-site", expected: true },
    { method: "POST", secFetchSite: "same-origin", expected: false },
    { method: "POST", secFetchSite: "none", expected: false },
    { method: "POST", origin: "https://evil.example", expected: true },
    { method: "POST", origin: "null", expected: true },
    { method: "POST", origin: "http://127.0.0.1:3000", expected: false },
    { method: "DELETE", origin: "https://evil.example", expected: true },
    { method: "PUT", secFetchSite: "cross-site", origin: "http://127.0.0.1:3000", expected: true },
    { method: "GET", secFetchSite: "cross-site", expected: false },
    { method: "HEAD", origin: "https://evil.example", expected: false },
    { method: "POST", expected: false },
    // No Sec-Fetch-Site and no Origin (older browsers): the Referer decides when it is there.
    { method: "POST", referer: "https://evil.example/page", expected: true },
    { method: "POST", referer: "http://127.0.0.1:3000.evil.example/", expected: true },
    { method: "POST", referer: "not a url", expected: true },
    { method: "POST", referer: "http://127.0.0.1:3000/login?x=1", expected: false },
    { method: "POST", origin: "http://127.0.0.1:3000", referer: "https://evil.example/", expected: false },
    { method: "POST", secFetchSite: "same-origin", referer: "https://evil.example/", expected: false },
  ])("$method with Sec-Fetch-Site=$secFetchSite Origin=$origin Referer=$referer → refused: $expected", ({ expected, ...input }) => {
    expect(isCrossSiteRequest({ ...input, allowedOrigins })).toBe(expected);
  });
});

describe("content security policy", () => {
  it("allows scripts only from our origin or with this response's nonce", () => {
    const csp = documentCsp({ nonce: "abc123" });
    expect(csp).toContain("script-src 'self' 'nonce-abc123'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain("unsafe-eval");
    expect(csp).not.toContain("unsafe-inline");
  });

  it("adds 'unsafe-eval' only when a page asks for it", () => {
    expect(documentCsp({ nonce: "n", allowEval: true })).toContain("'unsafe-eval'");
  });
});

describe("post-login redirects", () => {
  it.each([
    ["/admin/users", "/admin/users"],
    ["https://evil.example/", "/dashboard"],
    ["//evil.example", "/dashboard"],
    ["/\\evil.example", "/dashboard"],
    ["", "/dashboard"],
    [null, "/dashboard"],
  ])("%s → %s", (input, expected) => {
    expect(safeRedirectPath(input)).toBe(expected);
  });
});
