import type { ButtonHTMLAttributes } from 'react';

type Tone = 'primary' | 'danger' | 'plain';

const TONES: Record<Tone, string> = {
  primary: 'bg-accent text-bg hover:brightness-110',
  danger: 'bg-danger-strong text-white hover:brightness-110',
  plain: 'border border-line bg-raised text-fg hover:border-muted',
};

interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  tone?: Tone;
}

export function Button({ tone = 'plain', className = '', type = 'button', ...props }: ButtonProps) {
  return (
    <button
      type={type}
      className={
        'inline-flex items-center justify-center gap-2 rounded-md px-3 py-1.5 text-sm font-semibold ' +
        `disabled:cursor-not-allowed disabled:opacity-50 ${TONES[tone]} ${className}`
      }
      {...props}
    />
  );
}
