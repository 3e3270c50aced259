import { useState, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from './Button';

/**
 * Copies a text; says so to screen readers, and falls back to selecting `target` for Ctrl+C
 * where the clipboard is not allowed (plain http, older browsers). `label` names what is copied.
 */
export function CopyButton({ text, label, target, variant }: { text: string; label: string; target: RefObject<HTMLElement | null>; variant?: 'quiet' }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState<'yes' | 'select' | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied('yes');
    } catch {
      const node = target.current;
      if (node) window.getSelection()?.selectAllChildren(node);
      setCopied('select');
    }
  };
  return (
    <span className="copy">
      <Button variant={variant} onPress={() => void copy()} aria-label={label}>{t('common.copy')}</Button>
      <span role="status" className="hint">{copied === 'yes' ? t('common.copied') : copied === 'select' ? t('common.copySelected') : ''}</span>
    </span>
  );
}
