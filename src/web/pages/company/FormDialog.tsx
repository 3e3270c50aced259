import { useEffect, useRef, type ReactNode } from 'react';
import { Dialog, Heading, Modal, ModalOverlay } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/Button';

/**
 * A modal with a heading (React Aria: focus trapped, Escape closes, focus back on the
 * trigger). On open, focus goes to the first field (`focusSelector`), where the person types.
 */
export function FormDialog({ isOpen, onClose, title, children, wide, focusSelector = 'input:not([type=hidden]), select' }: {
  isOpen: boolean; onClose: () => void; title: string; children: ReactNode; wide?: boolean; focusSelector?: string;
}) {
  const body = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!isOpen) return;
    const frame = requestAnimationFrame(() => body.current?.querySelector<HTMLElement>(focusSelector)?.focus());
    return () => cancelAnimationFrame(frame);
  }, [isOpen, focusSelector]);
  return (
    <ModalOverlay isOpen={isOpen} onOpenChange={(open) => { if (!open) onClose(); }} isDismissable className="modal-overlay">
      <Modal className={`modal${wide ? ' modal-wide' : ''}`}>
        <Dialog className="dialog">
          <Heading slot="title" className="dialog-title">{title}</Heading>
          <div ref={body}>{children}</div>
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}

/** A dialog that only explains (e.g. why something cannot be done yet), with one button to close it. */
export function InfoDialog({ isOpen, onClose, title, children }: { isOpen: boolean; onClose: () => void; title: string; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <ModalOverlay isOpen={isOpen} onOpenChange={(open) => { if (!open) onClose(); }} isDismissable className="modal-overlay">
      <Modal className="modal">
        <Dialog className="dialog" role="alertdialog">
          <Heading slot="title" className="dialog-title">{title}</Heading>
          <div className="dialog-body">{children}</div>
          <div className="form-actions"><Button variant="primary" onPress={onClose} autoFocus>{t('leave.ok')}</Button></div>
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}
