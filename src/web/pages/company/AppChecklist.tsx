import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Checkbox } from '../../components/fields';

/**
 * The Apps a collaborator works on: one checkbox per App of the Company, in a fieldset
 * (legend read with each box; the Form moves focus to the first box after a failed submit).
 */
export function AppChecklist({ appNames, value, onChange, error, legend }: {
  appNames: string[] | null; value: string[]; onChange: (names: string[]) => void; error?: string; legend?: string;
}) {
  const { t } = useTranslation();
  const id = useId();
  const toggle = (name: string, on: boolean) => onChange(on ? [...value, name].sort() : value.filter((n) => n !== name));
  return (
    <fieldset className="field app-checklist" aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined}>
      <legend className="field-label">{legend ?? t('team.appsLegend')}</legend>
      {appNames === null ? <p className="hint">{t('team.appsLoading')}</p> : appNames.length === 0 ? (
        <p className="hint">{t('team.noApps')}</p>
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
