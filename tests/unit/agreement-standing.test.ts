import { describe, expect, it } from "vitest";
import { agreementOverdue } from "~/agreement/standing";

describe("agreement standing (ADR 0015)", () => {
  it("is overdue from the day the re-acceptance window ends, not the day before", () => {
    const pending = { acceptedCurrent: false, windowEndsOn: "2026-06-10" };
    expect(agreementOverdue(pending, "2026-06-09")).toBe(false);
    expect(agreementOverdue(pending, "2026-06-10")).toBe(true);
    expect(agreementOverdue(pending, "2026-07-01")).toBe(true);
  });

  it("is never overdue once the version in force is accepted, or when no agreement is published", () => {
    expect(agreementOverdue({ acceptedCurrent: true, windowEndsOn: "2026-06-10" }, "2026-07-01")).toBe(false);
    expect(agreementOverdue({ acceptedCurrent: false, windowEndsOn: null }, "2026-07-01")).toBe(false);
  });
});
