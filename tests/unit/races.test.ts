import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DB } from "~db/connection";
import { getCurrentAgreement } from "~/agreement/agreement.server";
import { registerModuleVersions } from "~/content/catalog.server";
import { iso } from "~/utils/clock";
import { seedCertifiedTrainer } from "../../scripts/lib/seed-certified";
import { createUser } from "../helpers/db";
import { createSharedDatabase, removeSharedDatabase } from "../helpers/shared-db";

/**
 * Races that can really be lost: several processes, each with its own connection to one database
 * (a SQLite file, or PostgreSQL with DATABASE_URL), fire the same trigger for the same trainers
 * at the same moment. One process cannot do this: Kysely runs one process's calls on SQLite's
 * single connection one after another. ADR 0012 (constraints) and ADR 0017 (SQLite BEGIN
 * IMMEDIATE) name the guards; removing one makes its test here fail.
 */
const PROCESSES = 4;
const TRAINERS = 8;
const now = new Date("2026-06-01T09:00:00Z");
let target: string;
let db: DB;

beforeAll(async () => {
  ({ target, db } = await createSharedDatabase("races"));
  await registerModuleVersions(db, now);
});
afterAll(async () => {
  await db.destroy();
  removeSharedDatabase(target);
});

type Answer = { trainerId: number; answer: string };

/** Starts the racers, waits until every one is ready, starts them together, collects answers. */
async function race(mode: "certificate" | "attempt", trainerIds: number[]): Promise<Answer[]> {
  const children = Array.from({ length: PROCESSES }, () => spawn("node_modules/.bin/tsx", ["tests/unit/support/race-child.ts", target, mode, trainerIds.join(","), now.toISOString()], { stdio: ["pipe", "pipe", "inherit"] }));
  const outputs = children.map((child) => {
    let out = "";
    const ready = new Promise<void>((resolve) => child.stdout.on("data", (chunk: Buffer) => ((out += chunk.toString()), out.includes("ready") && resolve())));
    const done = new Promise<string>((resolve, reject) => child.on("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(`racer exited with ${code}`)))));
    return { child, ready, done };
  });
  await Promise.all(outputs.map((o) => o.ready));
  for (const { child } of outputs) child.stdin.end("go\n");
  const texts = await Promise.all(outputs.map((o) => o.done));
  return texts.flatMap((text) => JSON.parse(text.trim().split("\n").at(-1)!) as Answer[]);
}

describe("races between processes on one database", () => {
  it("concurrent triggers issue exactly one certificate per trainer, and every caller gets an answer", async () => {
    const staff = await createUser(db, { role: "assessor" });
    const trainers: number[] = [];
    for (let i = 0; i < TRAINERS; i += 1) {
      const seeded = await seedCertifiedTrainer(db, { name: `Racer ${i}`, email: `racer${i}@example.test`, password: "seeded password 1", staffUserId: staff.id, acceptAgreement: false }, "http://academy.test", now);
      // The last requirement is met behind the application's back, so that the triggers below are the first to see it.
      await db.insertInto("agreement_acceptance").values({ user_id: seeded.userId, agreement_version: getCurrentAgreement()!.version, typed_name: `Racer ${i}`, accepted_at: iso(now) }).execute();
      trainers.push(seeded.userId);
    }
    const answers = await race("certificate", trainers);
    // No error (SQLITE_BUSY, a unique violation) reaches a caller: each is told "issued" or "already".
    expect(answers.filter((a) => a.answer !== "issued" && a.answer !== "already certified on these facts")).toEqual([]);
    for (const trainerId of trainers) {
      expect(answers.filter((a) => a.trainerId === trainerId && a.answer === "issued")).toHaveLength(1);
      expect(await db.selectFrom("certificate").select("id").where("user_id", "=", trainerId).execute()).toHaveLength(1);
      const issued = await db.selectFrom("audit_event").select("id").where("action", "=", "certificate.issued").where("details", "like", `%"trainerUserId":${trainerId},%`).execute();
      expect(issued).toHaveLength(1);
    }
  }, 120_000);

  it("two tabs (here, four processes) starting the same assessment open one attempt and all get it", async () => {
    const trainers: number[] = [];
    for (let i = 0; i < TRAINERS; i += 1) trainers.push((await createUser(db, { email: `tabs${i}@example.test` })).id);
    const answers = await race("attempt", trainers);
    expect(answers.filter((a) => a.answer !== "started" && a.answer !== "resumed")).toEqual([]);
    for (const trainerId of trainers) {
      expect(answers.filter((a) => a.trainerId === trainerId && a.answer === "started")).toHaveLength(1);
      const open = await db.selectFrom("assessment_attempt").select("id").where("user_id", "=", trainerId).where("submitted_at", "is", null).execute();
      expect(open).toHaveLength(1);
    }
  }, 120_000);
});
