import { expect, test } from "@playwright/test";

// Health checks for a load balancer (issue 18, ADR 0035), on the compiled server e2e runs.
test("/healthz and /readyz answer plain JSON without personal data or caching", async ({ request }) => {
  const health = await request.get("/healthz");
  expect(health.status()).toBe(200);
  expect(health.headers()["cache-control"]).toBe("no-store");
  expect(await health.json()).toEqual({ status: "ok" });

  const ready = await request.get("/readyz");
  expect(ready.status()).toBe(200);
  expect(await ready.json()).toEqual({
    status: "ready",
    checks: [
      { name: "database", ok: true },
      { name: "migrations", ok: true },
      { name: "content", ok: true },
      { name: "signing-key", ok: true },
    ],
  });
});
