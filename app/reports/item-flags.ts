/** The thresholds item analysis flags questions by (issue 15); shared by the page and the server. */
export const TOO_EASY = 0.9;
export const TOO_HARD = 0.3;
export const FEW_ATTEMPTS = 20;

export type ItemFlag = "too-easy" | "too-hard" | "negative-discrimination" | "few-attempts";

export const FLAG_LABELS: Record<ItemFlag, string> = {
  "too-easy": "Too easy",
  "too-hard": "Too hard",
  "negative-discrimination": "Discriminates negatively",
  "few-attempts": "Few attempts",
};
