import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { generateHOTP } from "@oslojs/otp";

/** The known TOTP key of the bench scripts' seeded staff (fixtures, like their passwords: ADR 0032). */
export const BENCH_TOTP_SECRET = "BENCHSTAFFBENCHSTAFFBENCHSTAFFBE";

/**
 * Signs in over HTTP as a benchmark would, completing the second step (ADR 0032) with the code an
 * authenticator app would show for `totpSecret`; returns the Cookie header for later requests.
 */
export async function benchSignIn(app: string, email: string, password: string, totpSecret: string | null = BENCH_TOTP_SECRET): Promise<string> {
  const jar = new Map<string, string>();
  const header = () => [...jar].map(([name, value]) => `${name}=${value}`).join("; ");
  const post = async (path: string, form: Record<string, string>) => {
    const response = await fetch(`${app}${path}`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", origin: app, cookie: header() }, body: new URLSearchParams(form), redirect: "manual" });
    for (const set of response.headers.getSetCookie()) {
      const pair = set.split(";")[0]!;
      const name = pair.slice(0, pair.indexOf("="));
      const value = pair.slice(pair.indexOf("=") + 1);
      if (value) jar.set(name, value);
      else jar.delete(name);
    }
    return response;
  };
  const login = await post("/login", { email, password, redirectTo: "" });
  if (login.status !== 302) throw new Error(`Could not sign in as ${email} (${login.status})`);
  if (!(login.headers.get("location") ?? "").startsWith("/login/two-factor")) return header();
  if (!totpSecret) throw new Error(`${email} has two-factor sign-in and no known key`);
  const key = decodeBase32IgnorePadding(totpSecret);
  for (const offset of [0, 1, -1]) {
    const code = generateHOTP(key, BigInt(Math.floor(Date.now() / 30_000) + offset), 6);
    if ((await post("/login/two-factor", { code, redirectTo: "" })).status === 302) return header();
  }
  throw new Error(`Could not complete the second step for ${email}`);
}
