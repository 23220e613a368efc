import type { AddressInfo } from "node:net";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import { afterEach, describe, expect, it } from "vitest";
import { remixRouteIds, requestLog, ROUTE_ID_CACHE_ENTRIES } from "~/http/request-log.server";
import { createLogger } from "~/utils/log.server";

/** Everything a request or a careless call site could carry that must never reach the log. */
const SECRETS = {
  resetToken: "resettokenaaaaaaaaaaaaaaaaaaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
  queryToken: "querytokencccccccccccccccccccccc",
  sessionCookie: "sessioncookiedddddddddddddddddddd",
  bearer: "bearertokeneeeeeeeeeeeeeeeeeeeeee",
  password: "correct horse battery staple 42",
  totpSecret: "JBSWY3DPEHPK3PXPTOTPSECRET",
  totpCode: "493817",
  dbsNumber: "001234567890",
  emailBody: "Open this link to reset your password: https://academy.example/reset-password/x",
  emailAddress: "private.person@example.test",
};

/** A Remix build with the routes that matter here (only `routes` is read). */
const build = {
  routes: {
    root: { id: "root", path: "" },
    "routes/reset-password.$token": { id: "routes/reset-password.$token", parentId: "root", path: "reset-password/:token" },
    "routes/_index": { id: "routes/_index", parentId: "root", index: true },
    "routes/$": { id: "routes/$", parentId: "root", path: "*" },
  },
} as unknown as ServerBuild;

const servers: { close(): void }[] = [];
afterEach(() => servers.splice(0).forEach((s) => s.close()));

function capture(format: "json" | "pretty" = "json", level: "info" | "debug" = "info", redact = true) {
  const lines: string[] = [];
  const logger = createLogger({ level, format, redact, sink: { write: (line: string) => lines.push(line) } });
  return { logger, lines, text: () => lines.join("") };
}

async function serve(app: express.Express): Promise<string> {
  const server = app.listen(0, "127.0.0.1");
  servers.push(server);
  await new Promise((resolve) => server.once("listening", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("structured logs (issue 18, ADR 0036)", () => {
  it("a request carrying every kind of secret gives one request line with its route id and none of them", async () => {
    const { logger, lines, text } = capture();
    // The request lines' own logger has no redaction pass (requestLineLog): the line must hold nothing to redact.
    const requestLines = capture("json", "info", false);
    const app = express();
    app.use(requestLog({ logger: () => requestLines.logger, remixRouteId: remixRouteIds(build) }));
    app.use(express.urlencoded({ extended: false }));
    app.all("*", (req, res) => {
      // A careless call site logging the whole form and an email: redaction is configuration.
      logger.info({ body: req.body, form: req.body as unknown, user: { password: req.body.password, totpSecret: req.body.totpSecret }, email: { to: SECRETS.emailAddress, text: SECRETS.emailBody } }, "handled");
      res.status(303).end();
    });
    const base = await serve(app);
    const response = await fetch(`${base}/reset-password/${SECRETS.resetToken}?token=${SECRETS.queryToken}`, {
      method: "POST",
      redirect: "manual",
      headers: { cookie: `__Host-session=${SECRETS.sessionCookie}`, authorization: `Bearer ${SECRETS.bearer}`, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ password: SECRETS.password, totpSecret: SECRETS.totpSecret, totp: SECRETS.totpCode, dbsNumber: SECRETS.dbsNumber }).toString(),
    });
    expect(response.status).toBe(303);
    await expect.poll(() => requestLines.lines.length).toBe(1);
    expect(lines).toHaveLength(1);

    for (const [kind, secret] of Object.entries(SECRETS)) expect(text() + requestLines.text(), kind).not.toContain(secret);
    const request = JSON.parse(requestLines.lines[0]!) as Record<string, unknown>;
    expect(request).toMatchObject({ level: 30, msg: "request", pid: process.pid, req: { method: "POST", route: "routes/reset-password.$token" }, res: { status: 303 } });
    // Exactly these fields, so the line needs no redaction: a field added here must be safe to log as it is.
    expect(Object.keys(request).sort()).toEqual(["level", "ms", "msg", "pid", "req", "res", "time"]);
    expect(Object.keys(request.req as object).sort()).toEqual(["id", "method", "route"]);
    expect(Object.keys(request.res as object)).toEqual(["status"]);
    expect((request.req as { id: string }).id).toBe(response.headers.get("x-request-id"));
    expect(typeof request.ms).toBe("number");
    const handled = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(handled).toMatchObject({ body: "[redacted]", form: { password: "[redacted]", totpSecret: "[redacted]", totp: "[redacted]", dbsNumber: "[redacted]" }, user: { password: "[redacted]", totpSecret: "[redacted]" }, email: { to: "[redacted]", text: "[redacted]" } });
  });

  it("names Remix routes by id (single-fetch .data included), Express routes by pattern, and keeps health checks out at the default level", async () => {
    const { logger, lines } = capture();
    const app = express();
    app.use(requestLog({ logger: () => logger, remixRouteId: remixRouteIds(build) }));
    app.get("/healthz", (_req, res) => res.json({ status: "ok" }));
    app.get("/verify/:id", (_req, res) => res.send("ok"));
    app.all("*", (_req, res) => res.send("ok"));
    const base = await serve(app);
    for (const path of ["/healthz", "/verify/abcdefabcdefabcdef", "/reset-password/t0ken.data", "/_root.data", "/", "/no/such/page"]) await fetch(base + path);
    await expect.poll(() => lines.length).toBe(5);
    expect(lines.map((l) => (JSON.parse(l) as { req: { route: string } }).req.route)).toEqual(["/verify/:id", "routes/reset-password.$token", "routes/_index", "routes/_index", "routes/$"]);
  });

  it("remembers each path's route id (bounded): the same answers the first time, again, and after the cache has turned over", () => {
    const routeId = remixRouteIds(build);
    const expected: [string, string][] = [["/reset-password/abc", "routes/reset-password.$token"], ["/reset-password/abc.data", "routes/reset-password.$token"], ["/", "routes/_index"], ["/_root.data", "routes/_index"], ["/no/such/page", "routes/$"]];
    for (let round = 0; round < 2; round += 1) for (const [path, id] of expected) expect(routeId(path), `${path}, round ${round}`).toBe(id);
    for (let i = 0; i < ROUTE_ID_CACHE_ENTRIES + 10; i += 1) expect(routeId(`/reset-password/t${i}`)).toBe("routes/reset-password.$token");
    for (const [path, id] of expected) expect(routeId(path), path).toBe(id);
  });

  it("logs an error's stack, and a request line at debug for health checks when LOG_LEVEL=debug", async () => {
    const { logger, lines } = capture("json", "debug");
    logger.error({ err: new Error("the database went away") }, "request failed");
    const line = JSON.parse(lines[0]!) as { err: { message: string; stack: string } };
    expect(line.err.message).toBe("the database went away");
    expect(line.err.stack).toMatch(/^Error: the database went away\n\s+at /);

    const app = express();
    app.use(requestLog({ logger: () => logger, remixRouteId: remixRouteIds(build) }));
    app.get("/readyz", (_req, res) => res.json({ status: "ready" }));
    await fetch((await serve(app)) + "/readyz");
    await expect.poll(() => lines.length).toBe(2);
    expect(JSON.parse(lines[1]!)).toMatchObject({ level: 20, req: { route: "readyz" } });
  });

  it("writes human-readable lines in the pretty format, redacted the same way", () => {
    const { logger, text } = capture("pretty");
    logger.warn({ user: { password: SECRETS.password }, emailId: 7 }, "something to see");
    expect(text()).toMatch(/^\d\d:\d\d:\d\d WARN  something to see user=\{"password":"\[redacted\]"\} emailId=7\n$/);
  });
});
