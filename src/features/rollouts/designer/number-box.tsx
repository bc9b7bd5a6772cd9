import { useState, type InputHTMLAttributes } from 'react';
import { inputClass } from '@/components/field';

interface NumberBoxProps extends Omit<
  InputHTMLAttributes<HTMLInputElement>,
  'value' | 'onChange' | 'type'
> {
  value: number | undefined | null;
  /** undefined when the box is empty; NaN when it holds something that is not a number. */
  onValueChange: (value: number | undefined) => void;
}

const parse = (text: string) => (text.trim() === '' ? undefined : Number(text));
const display = (value: number | undefined | null) =>
  value === undefined || value === null || Number.isNaN(value) ? '' : String(value);

/** A number box that keeps what was typed ("0.", "-") while reporting the parsed value. */
export function NumberBox({ value, onValueChange, className = '', ...props }: NumberBoxProps) {
  const [text, setText] = useState(() => display(value));
  const parsed = parse(text);
  const same = parsed === value || (Number.isNaN(parsed) && Number.isNaN(value));
  return (
    <input
      {...props}
      type="text"
      inputMode="decimal"
      autoComplete="off"
      value={same ? text : display(value)}
      onChange={(e) => {
        setText(e.target.value);
        onValueChange(parse(e.target.value));
      }}
      className={`${inputClass} w-24 tabular-nums ${className}`}
    />
  );
}
