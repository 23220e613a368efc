import { describe, expect, it } from "vitest";
import { evaluateEligibility, type TrainerFacts } from "~/certificates/eligibility";
import { certificateStatus, STATUS_LABELS } from "~/certificates/status";
import { DEFAULT_POLICY } from "~/policy/policy";

const today = "2026-06-01";

function eligibleFacts(): TrainerFacts {
  return {
    entry: {
      qualification: { id: 1, title: "Level 3 Certificate in Personal Training", level: 3, verifiedAt: "2026-05-01T10:00:00.000Z" },
      insurance: { id: 2, startDate: "2026-01-01", endDate: "2027-03-31", publicLiabilityPence: 500_000_000, professionalIndemnityPence: 100_000_000, limitBasis: "per_occurrence", verifiedAt: "2026-05-02T10:00:00.000Z" },
      dbs: { id: 3, decision: "suitable", decidedAt: "2026-05-03T10:00:00.000Z", recheckDueOn: "2027-05-03" },
      policy: { ...DEFAULT_POLICY },
    },
    modules: ["safeguarding", "medical-legal", "report-writing", "manual-handling"].map((slug) => ({ slug, title: slug, passed: { at: "2026-05-10T10:00:00.000Z", version: "a".repeat(64), label: "2026.1" } })),
    reportTask: { passed: true, releasedAt: "2026-05-20T10:00:00.000Z", version: "b".repeat(64) },
    agreement: { currentVersion: "v2", acceptedVersion: "v2", acceptedAt: "2026-05-21T10:00:00.000Z" },
  };
}

describe("eligibility", () => {
  it("is eligible when every requirement holds, expiring at the earliest of validity, insurance end and DBS re-check", () => {
    const result = evaluateEligibility(eligibleFacts(), today);
    expect(result).toMatchObject({ eligible: true, expiresOn: "2027-03-31", expiryBasis: "insurance end date", validityEndsOn: "2027-06-01" });
    expect(result.checklist.every((c) => c.done)).toBe(true);
    expect(result.checklist.map((c) => c.key)).toEqual(["qualification", "insurance", "dbs", "module:safeguarding", "module:medical-legal", "module:report-writing", "module:manual-handling", "report", "agreement"]);
  });

  it("expires at the validity period, the DBS re-check date or the annual refresher date when those come first", () => {
    const facts = eligibleFacts();
    for (const m of facts.modules) m.passed!.at = "2026-06-01T08:00:00.000Z";
    facts.entry.insurance!.endDate = "2028-01-01";
    expect(evaluateEligibility(facts, today)).toMatchObject({ expiresOn: "2027-05-03", expiryBasis: "DBS re-check date" });
    facts.entry.dbs!.recheckDueOn = "2028-01-01";
    expect(evaluateEligibility(facts, today)).toMatchObject({ expiresOn: "2027-06-01", expiryBasis: "validity period" });
    facts.entry.policy.certificateValidityMonths = 6;
    expect(evaluateEligibility(facts, today)).toMatchObject({ expiresOn: "2026-12-01", expiryBasis: "validity period" });
  });

  it("a module pass is current for the validity period: the certificate expires when the refresher falls due, and an old pass is unmet", () => {
    const facts = eligibleFacts();
    facts.entry.insurance!.endDate = "2028-01-01";
    facts.entry.dbs!.recheckDueOn = "2028-01-01";
    facts.modules[1]!.passed!.at = "2025-09-15T10:00:00.000Z";
    expect(evaluateEligibility(facts, today)).toMatchObject({ eligible: true, expiresOn: "2026-09-15", expiryBasis: "annual refresher date" });
    facts.modules[1]!.passed!.at = "2025-06-01T10:00:00.000Z";
    const stale = evaluateEligibility(facts, today);
    expect(stale.eligible).toBe(false);
    if (!stale.eligible) {
      expect(stale.unmet.map((u) => u.key)).toEqual(["module:medical-legal"]);
      expect(stale.unmet[0]!.detail).toMatch(/annual refresher is due/);
    }
  });

  const unmetCases: [string, (f: TrainerFacts) => void, string, RegExp][] = [
    ["no qualification", (f) => (f.entry.qualification = null), "qualification", /qualification/],
    ["no insurance", (f) => (f.entry.insurance = null), "insurance", /No verified insurance/],
    ["insurance ended", (f) => (f.entry.insurance!.endDate = "2026-05-31"), "insurance", /has ended/],
    ["insurance not started", (f) => (f.entry.insurance!.startDate = "2026-07-01"), "insurance", /not started/],
    ["public liability below minimum", (f) => (f.entry.insurance!.publicLiabilityPence = 100_000_000), "insurance", /Public liability cover is below/],
    ["indemnity below minimum", (f) => (f.entry.insurance!.professionalIndemnityPence = 50_000_000), "insurance", /indemnity cover is below/],
    ["no DBS record", (f) => (f.entry.dbs = null), "dbs", /DBS/],
    ["DBS not suitable", (f) => (f.entry.dbs!.decision = "not_suitable"), "dbs", /suitable/],
    ["DBS needs review", (f) => (f.entry.dbs!.decision = "needs_review"), "dbs", /suitable/],
    ["DBS re-check due today", (f) => (f.entry.dbs!.recheckDueOn = today), "dbs", /re-check is due/],
    ["a module not passed", (f) => (f.modules[2]!.passed = null), "module:report-writing", /not been passed/],
    ["report task not passed", (f) => (f.reportTask = { passed: false, releasedAt: null, version: null }), "report", /not been passed/],
    ["agreement never accepted", (f) => (f.agreement = { currentVersion: "v2", acceptedVersion: null, acceptedAt: null }), "agreement", /not accepted/],
    ["older agreement accepted", (f) => (f.agreement.acceptedVersion = "v1"), "agreement", /new version/],
    ["no agreement published", (f) => (f.agreement.currentVersion = null), "agreement", /not available/],
  ];

  it.each(unmetCases)("is not eligible with %s, naming the item and the reason", (_name, change, key, reason) => {
    const facts = eligibleFacts();
    change(facts);
    const result = evaluateEligibility(facts, today);
    expect(result.eligible).toBe(false);
    if (result.eligible) return;
    expect(result.unmet.map((u) => u.key)).toEqual([key]);
    expect(result.unmet[0]!.detail).toMatch(reason);
    expect(result.unmet[0]!.href).toMatch(/^\//);
  });

  it("labels every checklist item and says what satisfied it, with where to go", () => {
    const result = evaluateEligibility(eligibleFacts(), today);
    expect(result.checklist).toEqual([
      { key: "qualification", label: "Personal training qualification (Level 3 or above), verified", done: true, detail: "Verified: Level 3 Certificate in Personal Training.", href: "/requirements", action: "Update" },
      { key: "insurance", label: "Insurance verified, in date and meeting the minimum cover", done: true, detail: "Verified, in force until 2027-03-31.", href: "/requirements", action: "Renew" },
      { key: "dbs", label: "Enhanced DBS check recorded as suitable and not due for re-check", done: true, detail: "Suitable; re-check due 2027-05-03.", href: "/requirements", action: "Update" },
      ...["safeguarding", "medical-legal", "report-writing", "manual-handling"].map((slug) => ({
        key: `module:${slug}`,
        label: `Module assessment passed: ${slug}`,
        done: true,
        detail: "Passed 10 May 2026 (version 2026.1).",
        href: `/modules/${slug}`,
        action: "Retake the assessment",
      })),
      { key: "report", label: "Report-writing task passed", done: true, detail: "Passed 20 May 2026.", href: "/report-task", action: "Start" },
      { key: "agreement", label: "Current scope of practice and communication agreement accepted", done: true, detail: "Accepted 21 May 2026.", href: "/agreement", action: "Read and accept" },
    ]);
  });

  it("for a trainer with nothing done, says for each item what is missing", () => {
    const facts = eligibleFacts();
    facts.entry.qualification = null;
    facts.entry.insurance = null;
    facts.entry.dbs = null;
    for (const m of facts.modules) m.passed = null;
    facts.reportTask = { passed: false, releasedAt: null, version: null };
    facts.agreement = { currentVersion: "v2", acceptedVersion: null, acceptedAt: null };
    const result = evaluateEligibility(facts, today);
    expect(result.eligible).toBe(false);
    expect(result.checklist.map(({ key, done, detail }) => ({ key, done, detail }))).toEqual([
      { key: "qualification", done: false, detail: "No verified personal training qualification at Level 3 or above." },
      { key: "insurance", done: false, detail: "No verified insurance." },
      { key: "dbs", done: false, detail: "No Enhanced DBS check recorded as suitable." },
      ...facts.modules.map((m) => ({ key: `module:${m.slug}`, done: false, detail: "The end-of-module assessment has not been passed yet." })),
      { key: "report", done: false, detail: "The report-writing task has not been passed yet." },
      { key: "agreement", done: false, detail: "You have not accepted the agreement yet." },
    ]);
    expect(result.eligible ? [] : result.unmet).toEqual(result.checklist);
  });

  it("gives every reason when one item has several, and files each under its own item", () => {
    const facts = eligibleFacts();
    facts.entry.insurance!.startDate = "2026-06-02";
    facts.entry.insurance!.publicLiabilityPence = 1;
    facts.entry.dbs!.recheckDueOn = "2026-05-01";
    const result = evaluateEligibility(facts, today);
    expect(result.eligible ? [] : result.unmet.map(({ key, detail }) => ({ key, detail }))).toEqual([
      { key: "insurance", detail: "The verified insurance has not started yet. Public liability cover is below the minimum." },
      { key: "dbs", detail: "The DBS re-check is due." },
    ]);
  });

  it("a module pass exactly one validity period old is no longer current; a day younger still is", () => {
    const facts = eligibleFacts();
    // Midnight at the start of 2 June 2025 in the UK (23:00 UTC on 1 June, summer time): the UK day
    // decides, as it does for every date people see (issue 16.14).
    facts.modules[3]!.passed!.at = "2025-06-01T23:00:00.000Z";
    facts.entry.insurance!.endDate = "2028-01-01";
    facts.entry.dbs!.recheckDueOn = "2028-01-01";
    expect(evaluateEligibility(facts, today)).toMatchObject({ eligible: true, expiresOn: "2026-06-02", expiryBasis: "annual refresher date" });
    // One second earlier is 23:59:59 on 1 June in the UK: exactly one validity period old.
    facts.modules[3]!.passed!.at = "2025-06-01T22:59:59.000Z";
    const stale = evaluateEligibility(facts, today);
    expect(stale.eligible ? [] : stale.unmet.map(({ key, detail }) => ({ key, detail }))).toEqual([
      { key: "module:manual-handling", detail: "Passed 1 June 2025: the annual refresher is due; retake the end-of-module assessment." },
    ]);
    expect(stale.checklist.find((c) => c.key === "module:manual-handling")).toMatchObject({ done: false, href: "/modules/manual-handling" });
  });

  it("when two dates tie for the earliest, the expiry basis is the first of validity, insurance, DBS, refresher", () => {
    const facts = eligibleFacts();
    for (const m of facts.modules) m.passed!.at = "2026-06-01T08:00:00.000Z";
    facts.entry.insurance!.endDate = "2027-06-01";
    facts.entry.dbs!.recheckDueOn = "2027-06-01";
    expect(evaluateEligibility(facts, today)).toMatchObject({ expiresOn: "2027-06-01", expiryBasis: "validity period" });
    facts.entry.insurance!.endDate = "2027-05-03";
    facts.entry.dbs!.recheckDueOn = "2027-05-03";
    expect(evaluateEligibility(facts, today)).toMatchObject({ expiresOn: "2027-05-03", expiryBasis: "insurance end date" });
    facts.entry.insurance!.endDate = "2028-01-01";
    for (const m of facts.modules) m.passed!.at = "2026-05-03T08:00:00.000Z";
    expect(evaluateEligibility(facts, today)).toMatchObject({ expiresOn: "2027-05-03", expiryBasis: "DBS re-check date" });
  });

  it("a report pass without a recorded release date is done, without inventing a date", () => {
    const facts = eligibleFacts();
    facts.reportTask = { passed: true, releasedAt: null, version: null };
    expect(evaluateEligibility(facts, today).checklist.find((c) => c.key === "report")).toMatchObject({ done: true, detail: "" });
  });

  it("lists every unmet requirement at once", () => {
    const facts = eligibleFacts();
    facts.entry.qualification = null;
    facts.modules[0]!.passed = null;
    facts.agreement.acceptedVersion = null;
    const result = evaluateEligibility(facts, today);
    expect(result.eligible ? [] : result.unmet.map((u) => u.key)).toEqual(["qualification", "module:safeguarding", "agreement"]);
  });
});

describe("live status", () => {
  const cert = { expires_on: "2027-03-31", validity_ends_on: "2027-06-01", superseded_by: null, suspended_at: null, revoked_at: null };
  const entry = () => ({
    ...eligibleFacts().entry,
    agreement: { acceptedCurrent: true, windowEndsOn: "2026-07-01" },
    supervision: { nextDueOn: null as string | null, graceDays: 14, suspendsWhenOverdue: true },
  });

  it("is valid while everything holds", () => {
    expect(certificateStatus(cert, entry(), today)).toEqual({ status: "valid", reason: null });
  });

  it("reads suspended with a public reason category when evidence lapses, and never the details", () => {
    const lapsed = entry();
    lapsed.insurance!.endDate = "2026-05-31";
    expect(certificateStatus(cert, lapsed, today)).toEqual({ status: "suspended", reason: "insurance lapsed" });
    const withdrawn = entry();
    withdrawn.insurance = null;
    expect(certificateStatus(cert, withdrawn, today)).toEqual({ status: "suspended", reason: "insurance lapsed" });
    const recheck = entry();
    recheck.dbs!.recheckDueOn = "2026-06-01";
    expect(certificateStatus(cert, recheck, today)).toEqual({ status: "suspended", reason: "DBS re-check overdue" });
    const review = entry();
    review.dbs!.decision = "needs_review";
    expect(certificateStatus(cert, review, today)).toEqual({ status: "suspended", reason: "DBS check no longer current" });
    const qualification = entry();
    qualification.qualification = null;
    expect(certificateStatus(cert, qualification, today)).toEqual({ status: "suspended", reason: "qualification evidence withdrawn" });
  });

  it("at the insurance end date the certificate reads suspended (insurance lapsed); at the end of validity, expired", () => {
    const e = entry();
    expect(certificateStatus(cert, e, "2027-04-01").status).toBe("suspended");
    expect(certificateStatus(cert, e, "2027-06-01")).toEqual({ status: "expired", reason: "the validity period has ended" });
  });

  it("a newer agreement not accepted: valid inside the re-acceptance window, suspended from the day it ends until accepted", () => {
    const pending = entry();
    pending.agreement = { acceptedCurrent: false, windowEndsOn: "2026-06-10" };
    expect(certificateStatus(cert, pending, "2026-06-09")).toEqual({ status: "valid", reason: null });
    expect(certificateStatus(cert, pending, "2026-06-10")).toEqual({ status: "suspended", reason: "agreement not accepted" });
    pending.agreement.acceptedCurrent = true;
    expect(certificateStatus(cert, pending, "2026-06-10")).toEqual({ status: "valid", reason: null });
    // No agreement published: nothing to accept.
    expect(certificateStatus(cert, { ...entry(), agreement: { acceptedCurrent: false, windowEndsOn: null } }, "2026-06-10").status).toBe("valid");
    // Lapsed evidence is named first; after the validity period it is expired whatever the agreement.
    const lapsed = entry();
    lapsed.agreement = { acceptedCurrent: false, windowEndsOn: "2026-06-10" };
    lapsed.insurance = null;
    expect(certificateStatus(cert, lapsed, "2026-06-10").reason).toBe("insurance lapsed");
    expect(certificateStatus(cert, pending, "2027-06-01").status).toBe("expired");
  });

  it("overdue supervision suspends only with the policy switch on, from the day after due date + grace (ADR 0026)", () => {
    const due = entry();
    due.supervision = { nextDueOn: "2026-06-10", graceDays: 14, suspendsWhenOverdue: true };
    expect(certificateStatus(cert, due, "2026-06-24")).toEqual({ status: "valid", reason: null });
    expect(certificateStatus(cert, due, "2026-06-25")).toEqual({ status: "suspended", reason: "supervision overdue" });
    // The switch off (the default): only flagged, never suspended.
    expect(certificateStatus(cert, { ...due, supervision: { ...due.supervision, suspendsWhenOverdue: false } }, "2026-06-25")).toEqual({ status: "valid", reason: null });
    // No supervisor assigned: nothing is overdue.
    expect(certificateStatus(cert, { ...due, supervision: { ...due.supervision, nextDueOn: null } }, "2027-01-01")).toEqual({ status: "valid", reason: null });
    // Grace 0: overdue the day after the due date.
    expect(certificateStatus(cert, { ...due, supervision: { ...due.supervision, graceDays: 0 } }, "2026-06-10").status).toBe("valid");
    expect(certificateStatus(cert, { ...due, supervision: { ...due.supervision, graceDays: 0 } }, "2026-06-11").reason).toBe("supervision overdue");
    // Lapsed evidence and the agreement are named first.
    expect(certificateStatus(cert, { ...due, insurance: null }, "2026-06-25").reason).toBe("insurance lapsed");
    expect(certificateStatus(cert, { ...due, agreement: { acceptedCurrent: false, windowEndsOn: "2026-06-20" } }, "2026-06-25").reason).toBe("agreement not accepted");
  });

  it("an admin suspension under review reads \"under review\"; any other reads as the framework's governance (ADR 0027)", () => {
    expect(certificateStatus({ ...cert, suspended_at: "z", suspension_category: "under_review" }, entry(), today)).toEqual({ status: "suspended", reason: "under review" });
    expect(certificateStatus({ ...cert, suspended_at: "z", suspension_category: null }, entry(), today)).toEqual({ status: "suspended", reason: "suspended by the framework's governance" });
    expect(certificateStatus({ ...cert, suspended_at: "z", suspension_category: "governance" }, null, today).reason).toBe("suspended by the framework's governance");
  });

  it("revoked beats everything, then superseded, then an admin suspension", () => {
    expect(certificateStatus({ ...cert, revoked_at: "x", superseded_by: "y", suspended_at: "z" }, entry(), today)).toEqual({ status: "revoked", reason: "revoked by the framework's governance" });
    expect(certificateStatus({ ...cert, superseded_by: "y", suspended_at: "z" }, entry(), today)).toEqual({ status: "superseded", reason: "replaced by a newer certificate" });
    expect(certificateStatus({ ...cert, suspended_at: "z" }, entry(), today)).toEqual({ status: "suspended", reason: "suspended by the framework's governance" });
  });

  it("once the certificate's own expiry date has passed it reads expired, even with every fact still in order", () => {
    // The trainer renewed insurance after issue: the facts hold, but the certificate issued to the old end date has run out.
    const renewed = entry();
    renewed.insurance!.endDate = "2028-03-31";
    expect(certificateStatus(cert, renewed, "2027-03-30")).toEqual({ status: "valid", reason: null });
    expect(certificateStatus(cert, renewed, "2027-03-31")).toEqual({ status: "expired", reason: "the expiry date has passed" });
    expect(certificateStatus(cert, renewed, "2027-04-30")).toEqual({ status: "expired", reason: "the expiry date has passed" });
  });

  it("insurance is in force on its end date itself and lapses the day after", () => {
    const e = entry();
    e.insurance!.endDate = today;
    expect(certificateStatus(cert, e, today)).toEqual({ status: "valid", reason: null });
    e.insurance!.endDate = "2026-05-31";
    expect(certificateStatus(cert, e, today)).toEqual({ status: "suspended", reason: "insurance lapsed" });
  });

  it("a policy that has not started yet does not cover the trainer: suspended until its start date, valid from it", () => {
    const e = entry();
    e.insurance!.startDate = "2026-06-02";
    expect(certificateStatus(cert, e, today)).toEqual({ status: "suspended", reason: "insurance lapsed" });
    e.insurance!.startDate = today;
    expect(certificateStatus(cert, e, today)).toEqual({ status: "valid", reason: null });
  });

  it("a DBS re-check due tomorrow is still current; a suitable decision without a re-check date is overdue", () => {
    const e = entry();
    e.dbs!.recheckDueOn = "2026-06-02";
    expect(certificateStatus(cert, e, today)).toEqual({ status: "valid", reason: null });
    e.dbs!.recheckDueOn = null;
    expect(certificateStatus(cert, e, today)).toEqual({ status: "suspended", reason: "DBS re-check overdue" });
    const none = entry();
    none.dbs = null;
    expect(certificateStatus(cert, none, today)).toEqual({ status: "suspended", reason: "DBS check no longer current" });
  });

  it("without the trainer's facts the status is judged on the certificate's own dates", () => {
    expect(certificateStatus(cert, null, today)).toEqual({ status: "valid", reason: null });
    expect(certificateStatus(cert, null, "2027-03-31")).toEqual({ status: "expired", reason: "the expiry date has passed" });
    expect(certificateStatus(cert, null, "2027-06-01")).toEqual({ status: "expired", reason: "the validity period has ended" });
  });

  it("labels each status in words a relying party reads", () => {
    expect(STATUS_LABELS).toEqual({ valid: "Valid", expired: "Expired", suspended: "Suspended", revoked: "Revoked", superseded: "Superseded" });
  });
});
