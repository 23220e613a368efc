// The names of throw-away PostgreSQL databases (tests/helpers/postgres.ts). Stop 23's CI failed
// because CI's run prefix (`academy_ci_<seconds>_<pid>_u_<hex>`) plus a long label passed
// PostgreSQL's 63-character limit; the label is now shortened to fit and the prefix kept whole.
import { describe, expect, it } from "vitest";
import { MAX_DATABASE_NAME, uniqueDatabaseName } from "../helpers/postgres";

describe("uniqueDatabaseName", () => {
  const ciPrefix = "academy_ci_1796067705_28741_u_489afad6";

  it("keeps a long run prefix whole and shortens the label to fit", () => {
    const name = uniqueDatabaseName(ciPrefix, "data-export race");
    expect(name.length).toBeLessThanOrEqual(MAX_DATABASE_NAME);
    expect(name.startsWith(`${ciPrefix}_data_export_`)).toBe(true);
    expect(name).toMatch(/_[0-9a-f]{8}$/);
  });

  it("gives different names for the same prefix and label", () => {
    expect(uniqueDatabaseName(ciPrefix, "data_export_race")).not.toBe(uniqueDatabaseName(ciPrefix, "data_export_race"));
  });

  it("leaves short labels alone and works without one", () => {
    expect(uniqueDatabaseName("academy_test", "copy")).toMatch(/^academy_test_copy_[0-9a-f]{8}$/);
    expect(uniqueDatabaseName("academy_test")).toMatch(/^academy_test_[0-9a-f]{8}$/);
  });

  it("refuses a prefix with no room for the random part", () => {
    expect(() => uniqueDatabaseName("a".repeat(60), "x")).toThrow(/prefix too long/);
  });
});
