import { useState, type ReactNode } from 'react';
import { Dialog, Heading, Modal, ModalOverlay } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../api/client';
import { Button } from './Button';
import { TextField } from './fields';
import { Form, FormActions, useSubmit } from './Form';

interface ConfirmDialogProps {
  isOpen: boolean;
  onClose: () => void;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => Promise<void>;
  /** When set, the person must type this text (e.g. the App's name) to confirm. */
  typedConfirmation?: string;
  danger?: boolean;
}

/**
 * A modal confirmation (React Aria: focus trapped inside, restored to the trigger on
 * close, Escape closes). Errors from onConfirm show inside the dialog.
 */
export function ConfirmDialog({ isOpen, onClose, title, children, confirmLabel, onConfirm, typedConfirmation, danger = true }: ConfirmDialogProps) {
  const { t } = useTranslation();
  const [typed, setTyped] = useState('');
  const { busy, error, setError, run } = useSubmit();
  const close = () => { setTyped(''); setError(null); onClose(); };
  const matches = typedConfirmation === undefined || typed.trim() === typedConfirmation;
  return (
    <ModalOverlay isOpen={isOpen} onOpenChange={(open) => { if (!open) close(); }} isDismissable className="modal-overlay">
      <Modal className="modal">
        <Dialog className="dialog" role="alertdialog">
          <Heading slot="title" className="dialog-title">{title}</Heading>
          <Form error={error as ApiError | null} busy={busy} onSubmit={() => run(async () => { await onConfirm(); close(); })}>
            <div className="dialog-body">{children}</div>
            {typedConfirmation !== undefined ? (
              <TextField label={t('frame.typeToConfirm', { text: typedConfirmation })} name="confirm" value={typed} onChange={setTyped}
                isRequired autoComplete="off" spellCheck={false} />
            ) : null}
            <FormActions>
              <Button type="submit" variant={danger ? 'danger' : 'primary'} busy={busy} isDisabled={!matches}>{confirmLabel}</Button>
              <Button onPress={close}>{t('frame.cancel')}</Button>
            </FormActions>
          </Form>
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}
