import { expect, request, test, type APIRequestContext } from "@playwright/test";
import { E2E_ADMIN, E2E_ASSESSOR } from "./support/accounts";
import { signInByRequest } from "./support/helpers";
import { startOwnServer } from "./support/own-server";

/**
 * Several server processes on one database (issue 16.15, ADR 0009, ADR 0017): server A is the
 * normal cluster (a primary and two HTTP workers), server B a second, independent process on
 * the same database (a second app node). Both take writes at the same moment; none may answer
 * with a 500, and no SQLITE_BUSY may reach the logs. A revocation made through one of A's workers
 * clears the cached verification view in the other worker at once.
 */
let a: Awaited<ReturnType<typeof startOwnServer>>;
let b: Awaited<ReturnType<typeof startOwnServer>>;
let certificateId: string;

test.beforeAll(async () => {
  // Two servers, one of them a cluster, start on a shared machine.
  test.setTimeout(240_000);
  const port = Number(process.env.E2E_PORT ?? 3210) + 40;
  const shared = { ACCOUNT_RATE_LIMIT_PER_HOUR: "100000", EVIDENCE_DIR: `tests/.tmp/evidence-multi-${port}` };
  a = await startOwnServer("multi-process", 40, { ...shared, WEB_CONCURRENCY: "2" }, { script: "tests/e2e/support/credential-server.ts" });
  certificateId = /CERTIFIED ([a-z2-7]{32})/.exec(a.output())![1]!;
  b = await startOwnServer("multi-process-b", 41, { ...shared, WEB_CONCURRENCY: "1" }, { database: a.database });
});

test.afterAll(() => {
  a?.stop();
  b?.stop();
});

/** A client that sends the Origin a browser would (the cross-site check), and never follows redirects. */
const client = (baseURL: string) => request.newContext({ baseURL, extraHTTPHeaders: { Origin: baseURL }, maxRedirects: 0 });

async function signUp(api: APIRequestContext, i: number) {
  const password = `multi process password ${i}`;
  const response = await api.post("/signup", { form: { name: `Parallel Trainer ${i}`, email: `parallel${i}@e2e.test`, password, confirmPassword: password } });
  return response.status();
}

test("two server processes on one database take concurrent writes: every request answered, no SQLITE_BUSY", async () => {
  test.setTimeout(180_000);
  const clients = await Promise.all(Array.from({ length: 24 }, (_, i) => client(i % 2 === 0 ? a.baseUrl : b.baseUrl)));
  // Sign-ups (user, session, audit, limit counters) and failed sign-ins (throttle counters), all
  // at once, half on each server; fewer failures than the per-address limit of 30.
  const statuses = await Promise.all(
    clients.flatMap((api, i) => [
      signUp(api, i),
      api.post("/login", { form: { email: i % 2 === 0 ? `parallel${i}@e2e.test` : E2E_ASSESSOR.email, password: `wrong ${i}`, redirectTo: "" } }).then((r) => r.status()),
    ]),
  );
  const signUps = statuses.filter((_, i) => i % 2 === 0);
  const failedSignIns = statuses.filter((_, i) => i % 2 === 1);
  expect(signUps).toEqual(signUps.map(() => 302));
  expect(failedSignIns.filter((s) => s !== 400 && s !== 429)).toEqual([]);
  // Every account exists once, whichever server took it: each signs in on the other server.
  for (const [i, api] of clients.entries()) {
    const other = await client(i % 2 === 0 ? b.baseUrl : a.baseUrl);
    const signedIn = await other.post("/login", { form: { email: `parallel${i}@e2e.test`, password: `multi process password ${i}`, redirectTo: "" } });
    expect(signedIn.status()).toBe(302);
    await other.dispose();
    await api.dispose();
  }
  for (const output of [a.output(), b.output()]) {
    expect(output).not.toMatch(/SQLITE_BUSY|database is locked/);
    expect(output).not.toMatch(/\b500\b.*(signup|login)/i);
  }
});

test("a revocation through one worker clears the cached verification view in every worker", async () => {
  const status = async () => {
    // A new connection each time, so the cluster spreads the requests over both workers.
    const api = await request.newContext({ baseURL: a.baseUrl, extraHTTPHeaders: { Connection: "close" } });
    const response = await api.get(`/verify/${certificateId}.json`);
    expect(response.status()).toBe(200);
    const body = (await response.json()) as { status: string };
    await api.dispose();
    return body.status;
  };
  // Warm both workers' caches.
  for (let i = 0; i < 6; i += 1) expect(await status()).toBe("valid");

  const admin = await client(a.baseUrl);
  await signInByRequest(admin, a.baseUrl, E2E_ADMIN);
  const revoked = await admin.post("/admin/certificates", { form: { intent: "revoke", id: certificateId, reason: "Serious breach of the scope of practice" } });
  expect(revoked.status()).toBeLessThan(400);
  await admin.dispose();

  // Within the five-second cache lifetime: every worker answers "revoked" at once.
  for (let i = 0; i < 6; i += 1) expect(await status()).toBe("revoked");
});
