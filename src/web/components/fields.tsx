import { useId, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import {
  Checkbox as AriaCheckbox, FieldError, Input, Label, Switch as AriaSwitch, Text, TextArea, TextField as AriaTextField,
} from 'react-aria-components';

interface FieldBase {
  label: string;
  name: string;
  description?: ReactNode;
  error?: string;
  isRequired?: boolean;
  isDisabled?: boolean;
}

export interface TextFieldProps extends FieldBase {
  value: string;
  onChange: (value: string) => void;
  type?: 'text' | 'email' | 'password' | 'tel' | 'url';
  autoComplete?: string;
  inputMode?: 'text' | 'numeric' | 'email';
  placeholder?: string;
  maxLength?: number;
  spellCheck?: boolean;
  className?: string;
}

/** " (optional)" after the label of a field that may stay empty. */
function Optional() {
  const { t } = useTranslation();
  return <span className="optional"> {t('fields.optional')}</span>;
}

/** Label, input, description and inline error, linked with aria-describedby by React Aria. */
export function TextField({ label, description, error, type = 'text', className, spellCheck, inputMode, ...rest }: TextFieldProps) {
  return (
    <AriaTextField {...rest} type={type} isInvalid={!!error} validationBehavior="aria" className={`field ${className ?? ''}`}>
      <Label className="field-label">{label}{rest.isRequired ? null : <Optional />}</Label>
      {description ? <Text slot="description" className="field-description">{description}</Text> : null}
      <Input className="input" spellCheck={spellCheck} inputMode={inputMode} />
      <FieldError className="field-error">{error}</FieldError>
    </AriaTextField>
  );
}

export function TextAreaField({ label, description, error, rows = 4, className, spellCheck: _spellCheck, ...rest }: Omit<TextFieldProps, 'type'> & { rows?: number }) {
  return (
    <AriaTextField {...rest} isInvalid={!!error} validationBehavior="aria" className={`field ${className ?? ''}`}>
      <Label className="field-label">{label}{rest.isRequired ? null : <Optional />}</Label>
      {description ? <Text slot="description" className="field-description">{description}</Text> : null}
      <TextArea className="input textarea" rows={rows} spellCheck={false} />
      <FieldError className="field-error">{error}</FieldError>
    </AriaTextField>
  );
}

/** A password field with a "Show" toggle inside the input, so people can check what they typed. */
export function PasswordField({ label, description, error, className, spellCheck: _spellCheck, ...rest }: Omit<TextFieldProps, 'type'>) {
  const { t, i18n } = useTranslation();
  const [visible, setVisible] = useState(false);
  // "Show password" in English; German keeps the noun's capital ("Passwort anzeigen").
  const named = i18n.language === 'en' ? label.toLowerCase() : label;
  return (
    <AriaTextField {...rest} type={visible ? 'text' : 'password'} isInvalid={!!error} validationBehavior="aria" className={`field ${className ?? ''}`}>
      <Label className="field-label">{label}</Label>
      {description ? <Text slot="description" className="field-description">{description}</Text> : null}
      <div className="input-with-button">
        <Input className="input" spellCheck={false} autoCapitalize="off" />
        <button type="button" className="btn btn-quiet password-toggle"
          aria-label={visible ? t('frame.hideLabel', { label: named }) : t('frame.showLabel', { label: named })} onClick={() => setVisible((v) => !v)}>
          {visible ? t('frame.hide') : t('frame.show')}
        </button>
      </div>
      <FieldError className="field-error">{error}</FieldError>
    </AriaTextField>
  );
}

export interface SelectFieldProps extends FieldBase {
  value: string;
  onChange: (value: string) => void;
  options: { value: string; label: string }[];
  placeholder?: string;
  autoComplete?: string;
}

/** A native select: the most robust choice for screen readers and phones. */
export function SelectField({ label, name, description, error, isRequired, isDisabled, value, onChange, options, placeholder, autoComplete }: SelectFieldProps) {
  const id = useId();
  const descriptionId = `${id}-description`;
  const errorId = `${id}-error`;
  const describedBy = [description ? descriptionId : null, error ? errorId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>{label}{isRequired ? null : <Optional />}</label>
      {description ? <div id={descriptionId} className="field-description">{description}</div> : null}
      <select id={id} name={name} className="input select" value={value} required={isRequired} disabled={isDisabled}
        aria-invalid={error ? true : undefined} aria-describedby={describedBy} autoComplete={autoComplete}
        onChange={(event) => onChange(event.target.value)}>
        {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
        {options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
      </select>
      {error ? <div id={errorId} className="field-error">{error}</div> : null}
    </div>
  );
}

export function Checkbox({ name, isSelected, onChange, children, description }: {
  name: string; isSelected: boolean; onChange: (value: boolean) => void; children: ReactNode; description?: ReactNode;
}) {
  const id = useId();
  return (
    <div className="field">
      <AriaCheckbox name={name} isSelected={isSelected} onChange={onChange} className="checkbox" aria-describedby={description ? id : undefined}>
        <span className="checkbox-box" aria-hidden="true">
          <svg viewBox="0 0 18 18"><polyline points="2 9 7 14 16 4" /></svg>
        </span>
        <span>{children}</span>
      </AriaCheckbox>
      {description ? <div id={id} className="field-description checkbox-description">{description}</div> : null}
    </div>
  );
}

export function Switch({ isSelected, onChange, children, isDisabled }: {
  isSelected: boolean; onChange: (value: boolean) => void; children: ReactNode; isDisabled?: boolean;
}) {
  return (
    <AriaSwitch isSelected={isSelected} onChange={onChange} isDisabled={isDisabled} className="switch">
      <span className="switch-track" aria-hidden="true"><span className="switch-thumb" /></span>
      <span>{children}</span>
    </AriaSwitch>
  );
}

/** Radio choices as a fieldset with a legend; native radios keep arrow-key behaviour. */
export function RadioGroup({ legend, name, value, onChange, options, description, error }: {
  legend: string; name: string; value: string; onChange: (value: string) => void; description?: ReactNode; error?: string;
  options: { value: string; label: string; hint?: ReactNode }[];
}) {
  const id = useId();
  return (
    <fieldset className="field radio-group" aria-describedby={description ? `${id}-d` : undefined} aria-invalid={error ? true : undefined}>
      <legend className="field-label">{legend}</legend>
      {description ? <div id={`${id}-d`} className="field-description">{description}</div> : null}
      {options.map((o) => (
        <label key={o.value} className="radio">
          <input type="radio" name={name} value={o.value} checked={value === o.value} onChange={() => onChange(o.value)} />
          <span><span className="radio-label">{o.label}</span>{o.hint ? <span className="radio-hint">{o.hint}</span> : null}</span>
        </label>
      ))}
      {error ? <div className="field-error">{error}</div> : null}
    </fieldset>
  );
}
