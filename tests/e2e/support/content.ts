import fs from "node:fs";
import type { AnswerBank, PublicCatalog } from "../../../app/content/types";

/** The build's output, read by tests to know the right answers (as an examiner would). */
export function readCatalog(): PublicCatalog {
  return JSON.parse(fs.readFileSync("content/.generated/modules.json", "utf8")) as PublicCatalog;
}

export function readAnswerBank(): AnswerBank {
  return JSON.parse(fs.readFileSync("content/.generated/answer-bank.server.json", "utf8")) as AnswerBank;
}
