import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readEnv } from "~/utils/env.server";

/**
 * The client address the per-IP limits use (sign-in throttle, verification lookups) is Express's
 * `req.ip` under the app's `trust proxy` setting. A real Express server with the setting
 * TRUST_PROXY produces, asked with forged X-Forwarded-For headers.
 */
async function serverWith(trustProxy: string) {
  const app = express();
  app.set("trust proxy", readEnv({ TRUST_PROXY: trustProxy }).TRUST_PROXY);
  app.get("/ip", (req, res) => res.send(req.ip));
  const server = await new Promise<ReturnType<typeof app.listen>>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    ip: async (xff?: string) => (await fetch(`${base}/ip`, { headers: xff === undefined ? {} : { "X-Forwarded-For": xff } })).text(),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe("TRUST_PROXY", () => {
  it("parses a hop count or a list of proxy addresses, and refuses anything else", () => {
    expect(readEnv({}).TRUST_PROXY).toBe(0);
    expect(readEnv({ TRUST_PROXY: "1" }).TRUST_PROXY).toBe(1);
    expect(readEnv({ TRUST_PROXY: "2" }).TRUST_PROXY).toBe(2);
    expect(readEnv({ TRUST_PROXY: "10.0.0.2, 192.168.0.0/16,loopback,::1" }).TRUST_PROXY).toEqual(["10.0.0.2", "192.168.0.0/16", "loopback", "::1"]);
    for (const bad of ["true", "11", "-1", "10.0.0.300", "10.0.0.0/33", "proxy.internal", "10.0.0.1,"]) {
      expect(() => readEnv({ TRUST_PROXY: bad }), bad).toThrow(/^Invalid setting: TRUST_PROXY must be a number of proxy hops/);
    }
  });

  describe("behind one proxy (TRUST_PROXY=1)", () => {
    let server: Awaited<ReturnType<typeof serverWith>>;
    beforeAll(async () => (server = await serverWith("1")));
    afterAll(() => server.close());

    it("takes the right-most X-Forwarded-For entry, the one the proxy added: a forged left part changes nothing", async () => {
      // The proxy appends the address it saw; whatever the client wrote stays on the left.
      expect(await server.ip("203.0.113.7")).toBe("203.0.113.7");
      expect(await server.ip("1.2.3.4, 203.0.113.7")).toBe("203.0.113.7");
      expect(await server.ip("9.9.9.9, 8.8.8.8, 203.0.113.7")).toBe("203.0.113.7");
    });
  });

  describe("with no proxy (TRUST_PROXY=0, the default)", () => {
    let server: Awaited<ReturnType<typeof serverWith>>;
    beforeAll(async () => (server = await serverWith("0")));
    afterAll(() => server.close());

    it("ignores X-Forwarded-For entirely", async () => {
      expect(await server.ip("1.2.3.4")).toBe("127.0.0.1");
      expect(await server.ip()).toBe("127.0.0.1");
    });
  });

  describe("with a list of trusted proxy addresses", () => {
    let server: Awaited<ReturnType<typeof serverWith>>;
    beforeAll(async () => (server = await serverWith("127.0.0.1,10.0.0.0/8")));
    afterAll(() => server.close());

    it("skips trusted proxies from the right and stops at the first untrusted address", async () => {
      expect(await server.ip("1.2.3.4, 203.0.113.7, 10.1.2.3")).toBe("203.0.113.7");
      expect(await server.ip("203.0.113.7")).toBe("203.0.113.7");
    });
  });
});
