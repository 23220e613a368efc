import { useEffect, useRef, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from "react";

interface FieldProps extends InputHTMLAttributes<HTMLInputElement> {
  name: string;
  label: string;
  hint?: ReactNode;
  error?: string;
}

/** A labelled input with its hint and error tied to it for screen readers. */
export function Field({ name, label, hint, error, id, ...input }: FieldProps) {
  const inputId = id ?? `field-${name}`;
  const hintId = hint ? `${inputId}-hint` : undefined;
  const errorId = error ? `${inputId}-error` : undefined;
  return (
    <div className={`field${error ? " field--error" : ""}`}>
      <label htmlFor={inputId}>{label}</label>
      {hint ? (
        <p className="field__hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field__error" id={errorId}>
          <span className="visually-hidden">Error: </span>
          {error}
        </p>
      ) : null}
      <input
        id={inputId}
        name={name}
        aria-invalid={error ? true : undefined}
        aria-describedby={[hintId, errorId].filter(Boolean).join(" ") || undefined}
        {...input}
      />
    </div>
  );
}

export function FormError({ error }: { error?: string | null }) {
  if (!error) return null;
  return (
    <div className="alert alert--error" role="alert">
      {error}
    </div>
  );
}

export function Notice({ children }: { children: ReactNode }) {
  return (
    <div className="alert alert--success" role="status">
      {children}
    </div>
  );
}

function describedBy(...ids: (string | undefined)[]): string | undefined {
  return ids.filter(Boolean).join(" ") || undefined;
}

function FieldMessages({ id, hint, error }: { id: string; hint?: ReactNode; error?: string }) {
  return (
    <>
      {hint ? (
        <p className="field__hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field__error" id={`${id}-error`}>
          <span className="visually-hidden">Error: </span>
          {error}
        </p>
      ) : null}
    </>
  );
}

interface SelectFieldProps extends SelectHTMLAttributes<HTMLSelectElement> {
  name: string;
  label: string;
  hint?: ReactNode;
  error?: string;
  options: { value: string; label: string }[];
  /** Options in labelled groups (an optgroup each), after `options`. */
  groups?: { label: string; options: { value: string; label: string }[] }[];
  placeholder?: string;
}

/** A labelled select with its hint and error tied to it. */
export function SelectField({ name, label, hint, error, options, groups, placeholder, id, ...select }: SelectFieldProps) {
  const inputId = id ?? `field-${name}`;
  return (
    <div className={`field${error ? " field--error" : ""}`}>
      <label htmlFor={inputId}>{label}</label>
      <FieldMessages id={inputId} hint={hint} error={error} />
      <select
        id={inputId}
        name={name}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(hint ? `${inputId}-hint` : undefined, error ? `${inputId}-error` : undefined)}
        {...select}
      >
        {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
        {groups?.map((group) => (
          <optgroup key={group.label} label={group.label}>
            {group.options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
    </div>
  );
}

interface TextareaFieldProps extends TextareaHTMLAttributes<HTMLTextAreaElement> {
  name: string;
  label: string;
  hint?: ReactNode;
  error?: string;
}

/** A labelled textarea with its hint and error tied to it. */
export function TextareaField({ name, label, hint, error, id, ...textarea }: TextareaFieldProps) {
  const inputId = id ?? `field-${name}`;
  return (
    <div className={`field${error ? " field--error" : ""}`}>
      <label htmlFor={inputId}>{label}</label>
      <FieldMessages id={inputId} hint={hint} error={error} />
      <textarea
        id={inputId}
        name={name}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(hint ? `${inputId}-hint` : undefined, error ? `${inputId}-error` : undefined)}
        {...textarea}
      />
    </div>
  );
}

interface RadioGroupProps {
  name: string;
  legend: string;
  hint?: ReactNode;
  error?: string;
  options: { value: string; label: ReactNode }[];
  defaultValue?: string;
}

/** Radio buttons in a fieldset whose legend asks the question; the error is tied to the group. */
export function RadioGroup({ name, legend, hint, error, options, defaultValue }: RadioGroupProps) {
  const groupId = `field-${name}`;
  return (
    <fieldset
      className={`field fieldset${error ? " field--error" : ""}`}
      aria-describedby={describedBy(hint ? `${groupId}-hint` : undefined, error ? `${groupId}-error` : undefined)}
    >
      <legend>{legend}</legend>
      <FieldMessages id={groupId} hint={hint} error={error} />
      <div className="choices">
        {options.map((o) => (
          <div className="choice" key={o.value}>
            <input type="radio" id={`${groupId}-${o.value}`} name={name} value={o.value} defaultChecked={defaultValue === o.value} aria-invalid={error ? true : undefined} />
            <label htmlFor={`${groupId}-${o.value}`}>{o.label}</label>
          </div>
        ))}
      </div>
    </fieldset>
  );
}

interface CheckboxFieldProps {
  name: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  defaultChecked?: boolean;
}

/** One checkbox with its label beside it; hint and error tied to it. */
export function CheckboxField({ name, label, hint, error, defaultChecked }: CheckboxFieldProps) {
  const inputId = `field-${name}`;
  return (
    <div className={`field choice${error ? " field--error" : ""}`}>
      <input
        type="checkbox"
        id={inputId}
        name={name}
        defaultChecked={defaultChecked}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(hint ? `${inputId}-hint` : undefined, error ? `${inputId}-error` : undefined)}
      />
      <div>
        <label htmlFor={inputId}>{label}</label>
        <FieldMessages id={inputId} hint={hint} error={error} />
      </div>
    </div>
  );
}

/**
 * Shown above a form that was refused: the refusal's message (about the whole form) and how
 * many fields need attention. Takes the `message` and `fieldErrors` of a `Refusal`.
 */
export function ErrorSummary({ message, fieldErrors }: { message?: string | null; fieldErrors?: Record<string, string> }) {
  const count = fieldErrors ? Object.keys(fieldErrors).length : 0;
  const ref = useRef<HTMLDivElement>(null);
  // Each failed send moves focus here, so a keyboard or screen-reader user hears what to correct
  // (GOV.UK's error summary pattern), and how many fields to correct.
  useEffect(() => {
    ref.current?.focus();
  }, [message, fieldErrors]);
  if (!message && count === 0) return null;
  return (
    <div className="alert alert--error error-summary" role="alert" tabIndex={-1} ref={ref}>
      {message ? <p className="alert__line">{message}</p> : null}
      {count > 0 ? <p className="alert__line">Nothing was saved. Correct the {count === 1 ? "field" : `${count} fields`} marked below and send the form again.</p> : null}
    </div>
  );
}
