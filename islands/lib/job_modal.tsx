/**
 * A Bootstrap modal dialog without Bootstrap's JavaScript: rendered while
 * open, closed by its close button, a click on the backdrop or Escape.
 *
 * @module
 */
import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";

/** Props of {@link Modal}. */
export interface ModalProps {
  title: string;
  onClose: () => void;
  children: ComponentChildren;
  footer?: ComponentChildren;
  /** Extra classes of `.modal-dialog` (e.g. `modal-lg`). */
  size?: string;
}

/** The open dialog. */
export function Modal(props: ModalProps) {
  const dialog = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") props.onClose();
    };
    document.addEventListener("keydown", onKey);
    dialog.current?.focus();
    return () => document.removeEventListener("keydown", onKey);
  }, [props.onClose]);
  return (
    <>
      <div
        ref={dialog}
        class="modal d-block"
        tabIndex={-1}
        role="dialog"
        aria-modal="true"
        aria-label={props.title}
        onClick={(event) => {
          if (event.target === event.currentTarget) props.onClose();
        }}
      >
        <div class={`modal-dialog modal-dialog-scrollable ${props.size ?? ""}`}>
          <div class="modal-content">
            <div class="modal-header">
              <h5 class="modal-title">{props.title}</h5>
              <button type="button" class="btn-close" aria-label="Close" onClick={props.onClose} />
            </div>
            <div class="modal-body">{props.children}</div>
            {props.footer && <div class="modal-footer">{props.footer}</div>}
          </div>
        </div>
      </div>
      <div class="modal-backdrop show"></div>
    </>
  );
}
