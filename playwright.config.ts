import { defineConfig } from "@playwright/test";
import { databaseEnv, e2eDatabaseConfig } from "./tests/e2e/support/database";

const PORT = Number(process.env.E2E_PORT ?? 3210);
/** The e2e server's database: `tests/.tmp/e2e-<port>.sqlite`, or `<name>_e2e_<port>` on DATABASE_URL's PostgreSQL server. */
export const E2E_DATABASE = e2eDatabaseConfig("e2e", PORT);
/** Where the e2e server stores uploaded evidence (emptied at each start). */
export const E2E_EVIDENCE_DIR = `tests/.tmp/evidence-${PORT}`;
/** A copy of everything the e2e server prints, so tests can prove what never reaches the logs. */
export const E2E_SERVER_LOG = `tests/.tmp/server-${PORT}.log`;

/**
 * End-to-end tests run Debian's Chromium (Playwright cannot download its own here) against
 * the production build, started by `webServer` on a fresh database with the test clock enabled.
 */
export default defineConfig({
  testDir: "tests/e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  // A safety net for hung tests, not a timed assertion: the longer stories (entry requirements,
  // report task, modules) take 30–60 s on two idle cores and more on PostgreSQL or a busy machine.
  timeout: 180_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"]] : [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: {
    command: "tsx tests/e2e/support/server.ts",
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      PORT: String(PORT),
      HOST: "127.0.0.1",
      ...databaseEnv(E2E_DATABASE),
      EVIDENCE_DIR: E2E_EVIDENCE_DIR,
      E2E_SERVER_LOG,
      PUBLIC_BASE_URL: `http://127.0.0.1:${PORT}`,
      ATA_TEST_CLOCK: "1",
      // Every test signs up its own trainers, all from 127.0.0.1: the per-address account limits
      // are tested on a server of their own (tests/e2e/client-limits.spec.ts).
      ACCOUNT_RATE_LIMIT_PER_HOUR: "100000",
      NODE_ENV: "production",
    },
  },
});
