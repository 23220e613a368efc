const LABELS = {
  "not-started": { text: "Not started", className: "status--todo" },
  "in-progress": { text: "In progress", className: "status--info" },
  passed: { text: "Assessment passed", className: "status--good" },
} as const;

export function ModuleStateBadge({ state }: { state: keyof typeof LABELS }) {
  const label = LABELS[state];
  return <span className={`status ${label.className}`}>{label.text}</span>;
}
