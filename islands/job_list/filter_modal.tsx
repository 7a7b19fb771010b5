/**
 * A dialog of the job list toolbar: the shared modal with the buttons
 * "Close & Apply", "Reset" (when the dialog can reset) and "Cancel".
 *
 * @module
 */
import type { ComponentChildren } from "preact";
import { Modal } from "../lib/job_modal.tsx";

/** Props of {@link FilterModal}. */
export interface FilterModalProps {
  title: string;
  onClose: () => void;
  onApply: () => void;
  onReset?: () => void;
  children: ComponentChildren;
}

/** The dialog. */
export function FilterModal(props: FilterModalProps) {
  return (
    <Modal
      title={props.title}
      onClose={props.onClose}
      footer={
        <>
          <button type="button" class="btn btn-primary" onClick={props.onApply}>
            Close &amp; Apply
          </button>
          {props.onReset && (
            <button type="button" class="btn btn-danger" onClick={props.onReset}>Reset</button>
          )}
          <button type="button" class="btn btn-secondary" onClick={props.onClose}>Cancel</button>
        </>
      }
    >
      {props.children}
    </Modal>
  );
}
