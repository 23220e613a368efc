import { describe, expect, it } from "vitest";
import { z } from "zod";
import { CONTROL_CHARACTERS, FORM_BODY_LIMIT_BYTES, INVALID_ENCODING, WRONG_BODY_TYPE, formToObject, readForm, validate } from "~/utils/forms";

const post = (body: BodyInit | null, headers: Record<string, string> = {}) => new Request("http://localhost/form", { method: "POST", body, headers, duplex: "half" } as RequestInit);
const urlencoded = (body: string | Uint8Array) => post(body as BodyInit, { "content-type": "application/x-www-form-urlencoded" });

/** The Response `readForm` throws, or fails the test. */
async function refusal(request: Request): Promise<{ status: number; text: string }> {
  try {
    await readForm(request);
  } catch (error) {
    expect(error).toBeInstanceOf(Response);
    const response = error as Response;
    return { status: response.status, text: await response.text() };
  }
  throw new Error("the form was accepted");
}

/** A body streamed in chunks, with no Content-Length: the limit must hold while it streams. */
function streamed(totalBytes: number, chunk = 8192, byte = 0x61) {
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= totalBytes) return controller.close();
      const size = Math.min(chunk, totalBytes - sent);
      sent += size;
      controller.enqueue(new Uint8Array(size).fill(byte));
    },
  });
  return { stream, sent: () => sent };
}

describe("readForm: how a form body is accepted", () => {
  it("reads url-encoded forms as the URL standard does, normalised to NFC", async () => {
    const form = await readForm(urlencoded("name=Zo%C3%AB+Ren%C3%A9e&name=second&empty=&flag&option=a&option=b&caf%C3%A9=e%CC%81"));
    expect(form.get("name")).toBe("Zoë Renée");
    expect(form.getAll("name")).toEqual(["Zoë Renée", "second"]);
    expect(form.get("empty")).toBe("");
    expect(form.get("flag")).toBe("");
    expect(form.getAll("option")).toEqual(["a", "b"]);
    // "e" + COMBINING ACUTE ACCENT is stored as the single character "é".
    expect(form.get("café")).toBe("\u00e9");
    expect(formToObject(form)).toMatchObject({ name: "Zoë Renée", option: "a" });
  });

  it("reads a multipart form without files (a script's FormData)", async () => {
    const data = new FormData();
    data.set("questionId", "q1");
    data.append("option", "x");
    data.append("option", "y");
    const request = new Request("http://localhost/form", { method: "POST", body: data });
    const form = await readForm(request);
    expect(form.get("questionId")).toBe("q1");
    expect(form.getAll("option")).toEqual(["x", "y"]);
  });

  it("treats an empty POST with no type as an empty form (a button with no fields)", async () => {
    expect([...(await readForm(post(null)))]).toEqual([]);
  });

  it.each([
    ["text/plain", "email=a@b.c"],
    ["application/json", '{"email":"a@b.c"}'],
    ["application/xml", "<a/>"],
    ["", "email=a@b.c"],
  ])("refuses a %s body with 415 and a clear message", async (type, body) => {
    const result = await refusal(post(body, type ? { "content-type": type } : {}));
    expect(result).toEqual({ status: 415, text: WRONG_BODY_TYPE });
  });

  it("refuses a body over the limit from its Content-Length without decoding or keeping any of it", async () => {
    // Bytes that are not UTF-8: decoding them would answer 400, so a 413 proves nothing was parsed.
    const body = streamed(FORM_BODY_LIMIT_BYTES + 1, 8192, 0xff);
    const request = post(body.stream, { "content-type": "application/x-www-form-urlencoded", "content-length": String(FORM_BODY_LIMIT_BYTES + 1) });
    const result = await refusal(request);
    expect(result.status).toBe(413);
    expect(result.text).toContain("larger than the site accepts (64 KB)");
  });

  it("refuses a body with no Content-Length once it passes the limit, and drops a huge one after 16 MB", async () => {
    const body = streamed(11 * 1024 * 1024, 8192, 0xff);
    expect((await refusal(post(body.stream, { "content-type": "application/x-www-form-urlencoded" }))).status).toBe(413);
    // Read to the end and thrown away, so the client receives the 413 page instead of a reset.
    expect(body.sent()).toBe(11 * 1024 * 1024);
    const huge = streamed(64 * 1024 * 1024, 65536);
    expect((await refusal(post(huge.stream, { "content-type": "application/x-www-form-urlencoded" }))).status).toBe(413);
    expect(huge.sent()).toBeLessThan(17 * 1024 * 1024);
  });

  it("accepts a body just under the limit", async () => {
    const value = "a".repeat(FORM_BODY_LIMIT_BYTES - 10);
    expect((await readForm(urlencoded(`v=${value}`))).get("v")).toHaveLength(value.length);
  });

  it.each([
    ["a percent-encoded invalid sequence", "name=%C3%28"],
    ["a lone continuation byte", "name=%80abc"],
    ["an overlong encoding of '/'", "name=%C0%AF"],
    ["a UTF-16 surrogate encoded as UTF-8", "name=%ED%A0%80"],
  ])("refuses %s with 400 instead of storing U+FFFD", async (_label, body) => {
    // What the platform's parser would have stored:
    expect(new URLSearchParams(body).get("name")).toContain("\uFFFD");
    expect(await refusal(urlencoded(body))).toEqual({ status: 400, text: INVALID_ENCODING });
  });

  it("refuses raw invalid UTF-8 bytes in the body, url-encoded or multipart", async () => {
    const bytes = new Uint8Array([...new TextEncoder().encode("name="), 0xff, 0xfe]);
    expect((await refusal(urlencoded(bytes))).status).toBe(400);
    const boundary = "b0undary";
    const multipart = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="name"\r\n\r\n`),
      Buffer.from([0x41, 0xc3]),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    expect((await refusal(post(multipart, { "content-type": `multipart/form-data; boundary=${boundary}` }))).status).toBe(400);
  });
});

describe("validate: control characters", () => {
  const schema = z.object({ name: z.string().min(1), notes: z.string() });

  it.each([
    ["NUL", "Ann\u0000Lee"],
    ["BEL", "Ann\u0007"],
    ["ESC", "\u001b[31mred"],
    ["vertical tab", "a\u000bb"],
    ["form feed", "a\u000cb"],
    ["DEL", "a\u007fb"],
  ])("refuses %s next to its field, before the schema runs", (_label, notes) => {
    const result = validate(schema, { name: "Ann", notes });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.status).toBe(400);
    expect(result.fieldErrors).toEqual({ notes: CONTROL_CHARACTERS });
  });

  it("keeps tabs and line breaks", () => {
    const result = validate(schema, { name: "Ann", notes: "To: Dr Patel\r\nFrom:\tAnn\n\nPlan" });
    expect(result).toEqual({ ok: true, value: { name: "Ann", notes: "To: Dr Patel\r\nFrom:\tAnn\n\nPlan" } });
  });
});
