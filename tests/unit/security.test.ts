import { describe, expect, it } from "vitest";
import { documentCsp, isCrossSiteRequest } from "~/http/security.server";
import { safeRedirectPath } from "~/auth/guards.server";
import { cspNonce } from "~/utils/random.server";

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
});

describe("post-login redirects", () => {
  it.each([
    ["/admin/users", "/admin/users"],
    ["https://evil.example/", "/dashboard"],
    ["//evil.example", "/dashboard"],
    ["/\\evil.example", "/dashboard"],
    ["", "/dashboard"],
    [null, "/dashboard"],
    ["/marking?q=a%20b&sort=name#top", "/marking?q=a%20b&sort=name#top"],
    ["/é", "/%C3%A9"],
  ])("%s → %s", (input, expected) => {
    expect(safeRedirectPath(input)).toBe(expected);
  });

  // Known bypasses: each must stay on this site and be a header value the server can send.
  const bypasses = [
    "/\t/evil.example/x",
    "/%09/evil.example/x",
    "/\t\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "/x\r\nSet-Cookie: a=b",
    "/\u0000/evil.example",
    "\\evil.example",
    "/\\/evil.example",
    "/\\evil.example",
    "//evil.example",
    "///evil.example",
    "/.//evil.example",
    "/./\\evil.example",
    "/x/..//evil.example",
    "/%2F/evil.example",
    "/%2F%2Fevil.example",
    "%2F%2Fevil.example",
    "/%5C/evil.example",
    "/%5Cevil.example",
    "/%0D%0A/evil.example",
    " //evil.example",
    "https:evil.example",
    "https://evil.example",
    "javascript:alert(1)",
    "/\u3002/evil.example",
    "/ /evil.example",
    `/${"a".repeat(5000)}`,
  ];
  it.each(bypasses)("%j stays on this site and is a valid Location", (input) => {
    const result = safeRedirectPath(input);
    expect(() => new Headers({ Location: result })).not.toThrow();
    // Resolve it as a browser would: after stripping tabs and line breaks, against our origin.
    const browserReads = result.replace(/[\t\n\r]/g, "");
    expect(new URL(browserReads, "https://academy.example").origin).toBe("https://academy.example");
    expect(result.startsWith("/") && !result.startsWith("//") && !result.startsWith("/\\")).toBe(true);
    expect(result).not.toMatch(/[\u0000-\u0020\u007f\\]/);
  });
});

describe("CSP nonces", () => {
  it("are 16 random bytes each, never the same twice, across several refills of their pool", () => {
    const nonces = Array.from({ length: 1000 }, () => cspNonce());
    expect(new Set(nonces).size).toBe(nonces.length);
    for (const nonce of nonces) {
      expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
      expect(Buffer.from(nonce, "base64")).toHaveLength(16);
    }
  });
});
