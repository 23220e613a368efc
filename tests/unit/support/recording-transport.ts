import nodemailer from "nodemailer";

/**
 * A nodemailer transport that records the subject of every message it is given instead of
 * speaking SMTP, yielding to the event loop on each send so concurrent delivery runs interleave
 * as they would against a real mail server.
 */
export function recordingTransport(sent: string[]): nodemailer.Transporter {
  return nodemailer.createTransport({
    name: "recording",
    version: "1",
    send(mail, callback) {
      sent.push(String(mail.data.subject));
      setImmediate(() => callback(null, { envelope: mail.message.getEnvelope(), messageId: `<${sent.length}@recording>`, accepted: [], rejected: [], pending: [], response: "250 recorded" }));
    },
  });
}
