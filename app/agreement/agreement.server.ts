import fs from "node:fs";
import path from "node:path";
import type { DB } from "~db/connection";
import { iso } from "~/utils/clock";
import { invalid, ok, refuse, type Result } from "~/utils/result";
import { recordAudit } from "~/audit/audit.server";
import type { OnRequirementMet } from "~/utils/reaction";
import { contentBuildDir } from "~/content/catalog.server";
import type { CompiledAgreement } from "~/content/types";

declare global {
  var __academyAgreement: { dir: string; agreement: CompiledAgreement | null } | undefined;
}

/** The agreement being served (content/agreement, compiled by the content build). */
export function getCurrentAgreement(): CompiledAgreement | null {
  const dir = contentBuildDir();
  if (globalThis.__academyAgreement?.dir !== dir) {
    const file = path.join(dir, "agreement.json");
    globalThis.__academyAgreement = { dir, agreement: fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as CompiledAgreement) : null };
  }
  return globalThis.__academyAgreement.agreement;
}

export async function getLatestAcceptance(db: DB, userId: number) {
  return db.selectFrom("agreement_acceptance").selectAll().where("user_id", "=", userId).orderBy("id", "desc").executeTakeFirst();
}

function normaliseName(name: string): string {
  return name.normalize("NFKC").trim().replace(/\s+/g, " ").toLocaleLowerCase("en-GB");
}

/**
 * Records the trainer's acceptance of the current version: the name they typed (which must be
 * the name on their account, as a signature), the date and the version.
 */
export async function acceptAgreement(
  db: DB,
  user: { id: number; name: string },
  input: { typedName: string; version: string },
  now: Date,
  onRequirementMet?: OnRequirementMet,
): Promise<Result> {
  const agreement = getCurrentAgreement();
  if (!agreement) return refuse(404, "The agreement is not available. Try again later.");
  if (input.version !== agreement.version) {
    return refuse(409, "The agreement has changed since you opened this page. Read the current version and accept it again.");
  }
  if (normaliseName(input.typedName) !== normaliseName(user.name)) {
    return invalid({ typedName: `Type your full name exactly as it appears on your account: ${user.name}.` });
  }
  await db.transaction().execute(async (trx) => {
    await trx.insertInto("agreement_acceptance").values({ user_id: user.id, agreement_version: agreement.version, typed_name: input.typedName.trim(), accepted_at: iso(now) }).execute();
    await recordAudit(trx, { actorUserId: user.id, action: "agreement.accepted", subjectType: "user", subjectId: user.id, details: { version: agreement.version } }, now);
    await onRequirementMet?.(trx, user.id);
  });
  return ok();
}
