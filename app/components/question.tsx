import type { PublicQuestion } from "~/content/types";

const TYPE_HINT: Record<PublicQuestion["type"], string> = {
  single: "Choose one answer.",
  multiple: "Select all that apply.",
  "true-false": "Choose true or false.",
};

/** Authors often end a prompt with the hint the page shows anyway ("Select all that apply."): say it once. */
const TRAILING_HINT = /\s*(Select all that apply|Choose one answer|Choose true or false)\.?\s*$/i;
export function promptWithoutHint(question: Pick<PublicQuestion, "prompt">): string[] {
  return question.prompt.map((p, i) => (i === question.prompt.length - 1 ? p.replace(TRAILING_HINT, "") : p)).filter((p) => p !== "");
}

/**
 * One question as a native fieldset of radios (single, true/false) or checkboxes (select all
 * that apply). `reveal` marks the correct options once the server has graded the answer.
 */
export function QuestionFieldset({
  question,
  name,
  selected = [],
  reveal,
  disabled = false,
  legendPrefix,
  onChange,
}: {
  question: PublicQuestion;
  name: string;
  selected?: string[];
  reveal?: { correctOptionIds: string[] };
  disabled?: boolean;
  legendPrefix?: string;
  onChange?: (selected: string[]) => void;
}) {
  const inputType = question.type === "multiple" ? "checkbox" : "radio";
  const hintId = `${question.id}-hint`;
  return (
    <fieldset className="question" aria-describedby={hintId}>
      <legend className="question__legend">
        {legendPrefix ? <span className="question__number">{legendPrefix}</span> : null}
        {promptWithoutHint(question).map((p, i) => (
          <span key={i} className="question__prompt">
            {p}
          </span>
        ))}
      </legend>
      <p className="field__hint" id={hintId}>
        {TYPE_HINT[question.type]}
      </p>
      <ul className="options">
        {question.options.map((option) => {
          const inputId = `${question.id}-${option.id}`;
          const isCorrect = reveal?.correctOptionIds.includes(option.id);
          return (
            <li key={option.id} className={`option${reveal ? (isCorrect ? " option--correct" : "") : ""}`}>
              <input
                type={inputType}
                id={inputId}
                name={name}
                value={option.id}
                defaultChecked={selected.includes(option.id)}
                disabled={disabled}
                onChange={
                  onChange
                    ? (event) => {
                        const form = event.currentTarget.form;
                        if (!form) return;
                        const values = Array.from(form.querySelectorAll<HTMLInputElement>(`input[name="${name}"]:checked`)).map((i) => i.value);
                        onChange(values);
                      }
                    : undefined
                }
              />
              <label htmlFor={inputId}>
                {option.text}
                {reveal && isCorrect ? <span className="option__tag"> (correct answer)</span> : null}
              </label>
            </li>
          );
        })}
      </ul>
    </fieldset>
  );
}
