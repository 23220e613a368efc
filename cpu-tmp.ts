import { createRequestHandler } from "@remix-run/node";
import { migrateToLatest } from "~db/migrate";
import { registerModuleVersions } from "~/content/catalog.server";
import fs from "node:fs";
process.env.DATABASE_PATH = "/tmp/cpu.sqlite";
for (const s of ["", "-wal", "-shm"]) fs.rmSync(`/tmp/cpu.sqlite${s}`, { force: true });
const { getDb } = await import("~/db.server");
await migrateToLatest(getDb());
await registerModuleVersions(getDb(), new Date());
const build = await import("./build/index.js");
const handler = createRequestHandler(build as never, "production");
const ctx = { cspNonce: "abc", clientIp: "127.0.0.1" };
const signup = await handler(new Request("http://127.0.0.1/signup", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "name=A&email=a%40b.test&password=password123&confirmPassword=password123" }), ctx);
const cookie = signup.headers.get("set-cookie")!.split(";")[0]!;
async function run(url: string, n: number) {
  for (let i = 0; i < 300; i++) await (await handler(new Request(url, { headers: { cookie } }), ctx)).text();
  const t0 = performance.now();
  let size = 0;
  for (let i = 0; i < n; i++) { const r = await handler(new Request(url, { headers: { cookie } }), ctx); size = (await r.text()).length; }
  console.log(url.slice(20), `${((performance.now() - t0) / n).toFixed(3)} ms wall/req`, size);
}
for (const u of (process.argv[2] ?? "/modules/safeguarding/the-six-principles-and-making-safeguarding-personal,/,/test-support/clock,/modules").split(",")) await run(`http://127.0.0.1${u}`, 1500);
