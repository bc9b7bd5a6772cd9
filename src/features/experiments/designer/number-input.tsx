import { useState, type InputHTMLAttributes } from 'react';
import { inputClass } from '@/components/field';

interface NumberInputProps extends Omit<
  InputHTMLAttributes<HTMLInputElement>,
  'value' | 'onChange' | 'type'
> {
  value: number | undefined;
  /** undefined when the box is empty; NaN when it holds something that is not a number. */
  onValueChange: (value: number | undefined) => void;
}

function parse(text: string): number | undefined {
  if (text.trim() === '') return undefined;
  return Number(text);
}

const sameNumber = (a: number | undefined, b: number | undefined) =>
  a === b || (Number.isNaN(a) && Number.isNaN(b));

function display(value: number | undefined): string {
  return value === undefined || Number.isNaN(value) ? '' : String(value);
}

/**
 * A number box that keeps what the user typed ("1.", "-") while the value it reports is
 * parsed, so validation can speak about it without the box rewriting the text.
 */
export function NumberInput({
  value: raw,
  onValueChange,
  className = '',
  ...props
}: NumberInputProps) {
  // A draft restored from storage holds null where NaN was (JSON has no NaN).
  const value = raw ?? undefined;
  const [text, setText] = useState(() => display(value));
  // The value changed from outside (a template, a reorder): show it.
  const shown = sameNumber(parse(text), value) ? text : display(value);
  return (
    <input
      {...props}
      type="text"
      inputMode="decimal"
      autoComplete="off"
      value={shown}
      onChange={(e) => {
        setText(e.target.value);
        onValueChange(parse(e.target.value));
      }}
      className={`${inputClass} w-24 tabular-nums ${className}`}
    />
  );
}
