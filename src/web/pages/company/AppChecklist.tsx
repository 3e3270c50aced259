import { useId } from 'react';
import { Checkbox } from '../../components/fields';

/**
 * The Apps a collaborator works on: one checkbox per App of the Company, in a fieldset
 * (legend read with each box; the Form moves focus to the first box after a failed submit).
 */
export function AppChecklist({ appNames, value, onChange, error, legend = 'Apps they work on' }: {
  appNames: string[] | null; value: string[]; onChange: (names: string[]) => void; error?: string; legend?: string;
}) {
  const id = useId();
  const toggle = (name: string, on: boolean) => onChange(on ? [...value, name].sort() : value.filter((n) => n !== name));
  return (
    <fieldset className="field app-checklist" aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined}>
      <legend className="field-label">{legend}</legend>
      {appNames === null ? <p className="hint">Loading the Company’s Apps…</p> : appNames.length === 0 ? (
        <p className="hint">This Company has no Apps yet, so there is nothing to give a collaborator. Book an App first, or choose another role.</p>
      ) : (
        <div className="app-checklist-items">
          {appNames.map((name) => (
            <Checkbox key={name} name="appNames" isSelected={value.includes(name)} onChange={(on) => toggle(name, on)}>
              <span className="mono">{name}</span>
            </Checkbox>
          ))}
        </div>
      )}
      {error ? <div id={`${id}-error`} className="field-error">{error}</div> : null}
    </fieldset>
  );
}
