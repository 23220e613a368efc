/**
 * A person's description of a device from its User-Agent ("Firefox on Windows", "Safari on
 * iPhone"), for the account page's list of signed-in sessions (issue 17 item 2, ADR 0031). Only
 * the browser family and the operating system: enough to recognise one's own devices, nothing
 * more precise (no versions). Order matters: Edge and Opera also say "Chrome", Chrome also says
 * "Safari", and iPadOS can say "Macintosh".
 */
const BROWSERS: [RegExp, string][] = [
  [/\bEdgA?\/|\bEdg(iOS)?\//, "Edge"],
  [/\bOPR\/|\bOpera\b/, "Opera"],
  [/\bSamsungBrowser\//, "Samsung Internet"],
  [/\bFirefox\/|\bFxiOS\//, "Firefox"],
  [/\bChrome\/|\bCriOS\/|\bChromium\//, "Chrome"],
  [/\bVersion\/[\d.]+.*\bSafari\//, "Safari"],
];

const SYSTEMS: [RegExp, string][] = [
  [/\biPhone\b/, "iPhone"],
  [/\biPad\b/, "iPad"],
  [/\bAndroid\b/, "Android"],
  [/\bCrOS\b/, "ChromeOS"],
  [/\bWindows\b/, "Windows"],
  [/\bMac OS X\b|\bMacintosh\b/, "macOS"],
  [/\bLinux\b/, "Linux"],
];

export function describeUserAgent(userAgent: string | null | undefined): string {
  const ua = userAgent ?? "";
  const browser = BROWSERS.find(([pattern]) => pattern.test(ua))?.[1];
  const system = SYSTEMS.find(([pattern]) => pattern.test(ua))?.[1];
  if (browser && system) return `${browser} on ${system}`;
  if (browser) return browser;
  if (system) return `A browser on ${system}`;
  return "An unrecognised browser or app";
}
