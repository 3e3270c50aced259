import type { ReactNode } from 'react';
import { Button as AriaButton, type ButtonProps as AriaButtonProps } from 'react-aria-components';
import { Link } from '../router';

export type Variant = 'primary' | 'secondary' | 'danger' | 'quiet';

export interface ButtonProps extends Omit<AriaButtonProps, 'className' | 'children'> {
  variant?: Variant;
  busy?: boolean;
  children: ReactNode;
}

/**
 * The one button of the app (React Aria: keyboard, press and focus-visible handled).
 * While busy it stays focusable (focus is not lost) and shows a spinner; forms ignore a
 * second submit themselves. React Aria's own isPending announcer is not used: it leaves an
 * element pointing at the button after the page changes, which axe reports.
 */
export function Button({ variant = 'secondary', busy, isDisabled, onPress, children, ...rest }: ButtonProps) {
  return (
    <AriaButton {...rest} isDisabled={isDisabled} onPress={busy ? undefined : onPress} aria-busy={busy || undefined}
      data-busy={busy || undefined} className={`btn btn-${variant}`}>
      {children}
    </AriaButton>
  );
}

/** A navigation that looks like a button (it is a link for assistive technology). */
export function LinkButton({ to, variant = 'secondary', children }: { to: string; variant?: Variant; children: ReactNode }) {
  return <Link to={to} className={`btn btn-${variant}`}>{children}</Link>;
}
