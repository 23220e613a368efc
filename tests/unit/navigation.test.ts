import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ADMIN_SETTINGS, isCurrent, navigationFor } from "~/navigation";

/** Every admin page a person opens directly (not a detail page reached from a list). */
function adminPages(): string[] {
  return readdirSync("app/routes")
    .filter((file) => file.startsWith("admin.") && !file.includes("$"))
    .map((file) => `/${file.replace(/\.tsx?$/, "").replace(/\._index$/, "").replace(/\./g, "/")}`);
}

describe("admin navigation", () => {
  it("stays short: at most 12 entries, Dashboard and Account included", () => {
    expect(navigationFor("admin").length).toBeLessThanOrEqual(12);
  });

  it("reaches every admin page, from the main navigation or from the settings page", () => {
    const reachable = new Set([...navigationFor("admin").map((item) => item.to), ...ADMIN_SETTINGS.map((page) => page.to)]);
    const pages = adminPages();
    expect(pages).toContain("/admin/settings");
    expect(pages.filter((page) => !reachable.has(page))).toEqual([]);
  });

  it("shows Settings as current on each settings page, and nothing else as current there", () => {
    const items = navigationFor("admin");
    for (const page of ADMIN_SETTINGS) {
      expect(items.filter((item) => isCurrent(item, page.to)).map((item) => item.label)).toEqual(["Settings"]);
    }
    expect(items.filter((item) => isCurrent(item, "/admin/concerns/12")).map((item) => item.label)).toEqual(["Concerns"]);
    expect(items.filter((item) => isCurrent(item, "/dashboard")).map((item) => item.label)).toEqual(["Dashboard"]);
  });
});
